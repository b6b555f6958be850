/**
 * How a bench run in a process of its own hands back what it measured: one JSON line on stdout, which the
 * parent reads (the last line), and the exit code; an error goes to stderr, which the parent passes on.
 */
export function printResultAndExit(work: Promise<unknown>): void {
  work.then(
    (result) => {
      console.log(JSON.stringify(result));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
