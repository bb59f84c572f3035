/** The fields of a PostgreSQL error the code decides on (SQLSTATE, detail, constraint), read from whatever was thrown. */
export const pgError = (e: unknown): { code?: string; detail?: string; constraint?: string; message?: string } =>
  (typeof e === 'object' && e !== null ? e : {}) as { code?: string; detail?: string; constraint?: string; message?: string };
