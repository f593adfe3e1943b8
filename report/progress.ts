/**
 * The report's steps on stderr as they start, so a long national pack is visibly alive. Shown at a
 * terminal, or wherever LSCB_PROGRESS=1 asks; a script that pipes stderr gets only failures.
 */
export function reportProgress(stream: NodeJS.WriteStream = process.stderr): (step: string) => void {
  const show = stream.isTTY === true || process.env['LSCB_PROGRESS'] === '1';
  const started = Date.now();
  return (step) => {
    if (show) stream.write(`lscb report: ${step}… (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  };
}
