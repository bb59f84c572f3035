/**
 * The run's screen: one line per phase and year as it finishes, and on a terminal a live line
 * while it runs. Human text only; the logs go to a file.
 */
export interface Display {
  /** A finished line. */
  say(line?: string): void;
  /** The live line (replaced on a terminal; every 10 s otherwise). */
  status(text: string): void;
}

export const terminalDisplay = (out: NodeJS.WriteStream = process.stdout): Display => {
  let live = '';
  let lastPlain = 0;
  const clear = () => {
    if (live && out.isTTY) out.write('\r\x1b[K');
  };
  return {
    say: (line = '') => {
      clear();
      out.write(`${line}\n`);
      if (live && out.isTTY) out.write(live);
    },
    status: (text) => {
      if (text === '') {
        clear();
        live = '';
        return;
      }
      if (out.isTTY) {
        live = text.slice(0, (out.columns ?? 120) - 1);
        out.write(`\r\x1b[K${live}`);
      } else if (Date.now() - lastPlain >= 10_000) {
        lastPlain = Date.now();
        out.write(`  … ${text}\n`);
      }
    },
  };
};
