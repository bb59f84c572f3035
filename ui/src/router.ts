import { createRouter, createWebHashHistory } from 'vue-router';
import { session } from './session';

/**
 * Pages route by hash (/#/projects): the API owns every path, the UI only /. Each page is its own
 * chunk, loaded when first visited.
 */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/work' },
    { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignIn.vue'), meta: { open: true } },
    { path: '/work', name: 'work', component: () => import('./pages/MyWork.vue') },
    { path: '/projects', name: 'projects', component: () => import('./pages/Projects.vue') },
    { path: '/projects/:id', name: 'project', component: () => import('./pages/ProjectDetail.vue'), props: true },
    { path: '/funds', name: 'funds', component: () => import('./pages/Funds.vue') },
    { path: '/funds/:id', name: 'fund', component: () => import('./pages/FundDetail.vue'), props: true },
    { path: '/households', name: 'households', component: () => import('./pages/Households.vue') },
    { path: '/exit-rounds/:villageId/:year', name: 'exit-round', component: () => import('./pages/ExitRound.vue'), props: true },
    { path: '/anomalies', name: 'anomalies', component: () => import('./pages/Anomalies.vue') },
  ],
});

/**
 * Starts loading the chunk of the page an address names (following a redirect), without waiting:
 * on a first load it runs beside the check of the tab's token, which the router's guard must wait for.
 */
export const preloadPage = (address: string): void => {
  const to = router.resolve(address);
  const last = to.matched.at(-1);
  const target = typeof last?.redirect === 'string' ? router.resolve(last.redirect) : to;
  for (const r of target.matched) {
    const load = r.components?.default;
    // Every page here is a lazy loader (() => import(…)); a loaded component is an object.
    if (typeof load === 'function') void (load as () => Promise<unknown>)();
  }
};

router.beforeEach((to) => {
  if (!to.meta.open && !session.me) return { name: 'sign-in', query: { next: to.fullPath } };
  return true;
});
