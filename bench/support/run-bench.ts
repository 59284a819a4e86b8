/**
 * Runs a benchmark's `main` and ends the process with it: 0 when it finished, 1 with the error printed when it
 * failed. A bench that started a local stack ends here even if some handle of it is still open.
 */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
