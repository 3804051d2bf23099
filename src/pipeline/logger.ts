/** Structured logger: human lines on a terminal, JSON lines otherwise; always to stderr. */
import { isStderrTty, writeErr } from '../runtime/index.ts';
import { redact } from '../monday/redact.ts';

/** Log levels in increasing severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Extra structured fields of a log line. */
export type LogFields = Record<string, unknown>;

/** What plugins and the core log through. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds these fields to every line. */
  child(fields: LogFields): Logger;
}

/** Logger settings. */
export interface LoggerOptions {
  /** `pretty` for people, `json` for machines; default: pretty on a TTY, json otherwise. */
  format?: 'pretty' | 'json';
  /** Lowest level written; default `info`. */
  level?: LogLevel;
  /** Strings that must never be written (tokens, passwords); replaced by `[redacted]` (src/monday/redact.ts). */
  secrets?: string[];
  /** Where lines go; default stderr. */
  write?: (line: string) => void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };


/** Creates a logger. */
export function createLogger(options: LoggerOptions = {}, bound: LogFields = {}): Logger {
  const format = options.format ?? (isStderrTty() ? 'pretty' : 'json');
  const min = RANK[options.level ?? 'info'];
  const write = options.write ?? writeErr;
  const secrets = options.secrets ?? [];
  const emit = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    if (RANK[level] < min) return;
    const all = { ...bound, ...fields };
    let line: string;
    if (format === 'json') {
      line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...all }, errorReplacer);
    } else {
      const extra = Object.entries(all)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, errorReplacer)}`)
        .join(' ');
      line = `${clockTime(new Date())} ${level === 'info' ? '' : `${level.toUpperCase()} `}${message}${extra ? `  ${extra}` : ''}`;
    }
    write(redact(line, secrets));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** `HH:MM:SS` in the machine's local time: when each pretty line happened (JSON lines carry an ISO `time`). */
function clockTime(date: Date): string {
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/** A logger that drops everything (tests, quiet commands). */
export const silentLogger: Logger = createLogger({ write: () => {}, format: 'json' });
