/** A minimal leveled logger interface; `console` satisfies it. */
export interface Logger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** Lowest level that is emitted; `"off"` silences the logger. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };
const noop = () => {};

/** Wraps a logger so that messages below `level` are dropped and each line carries a prefix. */
export function levelledLogger(logger: Logger | undefined, level: LogLevel, prefix: string): Logger {
  const min = RANK[level];
  const pick = (name: keyof Logger) =>
    logger && RANK[name] >= min
      ? (message: string, ...rest: unknown[]) => logger[name](`${prefix} ${message}`, ...rest)
      : noop;
  return { debug: pick("debug"), info: pick("info"), warn: pick("warn"), error: pick("error") };
}
