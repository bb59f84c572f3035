import { reactive } from 'vue';
import { api, setToken, whenUnauthorized, type Answer } from './api/client';

export type Me = Answer<'/me'>;

/** Who is signed in: the token lives for the browser tab (sessionStorage), never in a cookie the API would trust. */
export const session = reactive<{ token: string | null; me: Me | null }>({ token: null, me: null });

const KEY = 'tuopin.token';

export const signInWith = async (token: string): Promise<void> => {
  setToken(token);
  try {
    session.me = await api.get('/me');
  } catch (e) {
    setToken(null);
    throw e;
  }
  session.token = token;
  sessionStorage.setItem(KEY, token);
};

export const signOut = (): void => {
  session.token = null;
  session.me = null;
  setToken(null);
  sessionStorage.removeItem(KEY);
};

/** On start: the tab's token, if it still works. */
export const restore = async (): Promise<void> => {
  const t = sessionStorage.getItem(KEY);
  if (!t) return;
  try {
    await signInWith(t);
  } catch {
    signOut();
  }
};

whenUnauthorized(signOut);
