const DURATION =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const UNIT_MS = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000] as const;

/**
 * Parses an ISO-8601 duration as Knative's delivery spec writes them (`PT0.2S`, `PT1M`, `P1D`) into
 * milliseconds. Years and months are refused: their length depends on the calendar, and no delivery delay
 * needs them. Returns undefined for anything else.
 */
export function parseIsoDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  let total = 0;
  UNIT_MS.forEach((unit, index) => {
    const value = match[index + 1];
    if (value !== undefined) total += Number(value) * unit;
  });
  return Math.round(total);
}
