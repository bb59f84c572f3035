/** A bench run as a process that threw: its stack on stderr, exit 2 (0 and 1 are the bench's own verdicts). */
export const exitOnError = (e: unknown): never => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(2);
};
