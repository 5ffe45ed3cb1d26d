// The email channel: one SMTP transport (pooled in the daemon) that sends each rendered reminder as text + HTML.
// Decides which SMTP failures are permanent (the server refused the recipient) and keeps the password out of errors.
import { PermanentDeliveryError, firstLine, quoted } from '../errors';
import { redact, type Logger } from '../log';
import type { Message } from '../domain/message/message';
import type { Channel } from './channel';
import type { ChannelSpec } from './channel-spec';

// nodemailer is loaded when a channel is created, not when the CLI starts: it takes a few hundred milliseconds to
// load, which commands such as `list` never need.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadNodemailer = (): typeof import('nodemailer') => require('nodemailer') as typeof import('nodemailer');

/** The email channel's registration: configured by TOKENWATCH_SMTP_URL, sending to TOKENWATCH_MAIL_TO or each token's --email. */
export const EMAIL_CHANNEL: ChannelSpec = {
  name: 'email',
  doctorLabel: 'smtp',
  noRecipientHint: 'no recipient (use --email or TOKENWATCH_MAIL_TO)',
  configure: (config) => {
    const smtpUrl = config.smtpUrl;
    if (smtpUrl === null) return null;
    return {
      create: ({ logger, timeoutMs }) => createEmailChannel({ smtpUrl, from: config.mailFrom, pool: true, logger, timeoutMs }),
      describe: `email to ${config.mailTo.length > 0 ? config.mailTo.join(', ') : "(each token's --email only)"}`,
    };
  },
};

export interface EmailChannelOptions {
  /** smtp://user:pass@host:port or smtps://…; the password is a secret. */
  smtpUrl: string;
  from: string;
  /** Keep connections open between messages (the daemon); a one-off command does not need it. */
  pool: boolean;
  logger: Logger;
  /** Connection, greeting and socket inactivity timeout (TOKENWATCH_SEND_TIMEOUT_SECONDS); 30 s by default. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Replies that mean "your credentials are wrong or missing": the administrator fixes them and the outbox retries. */
const AUTH_REPLY_CODES = new Set([530, 534, 535, 538]);

/** The fields nodemailer puts on its errors (all optional: a socket error has none of the SMTP ones). */
interface SmtpErrorFields {
  message: string;
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
  rejected?: unknown;
}

export function createEmailChannel(options: EmailChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { server, secrets } = describeServer(options.smtpUrl);
  const transportOptions = {
    url: options.smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
  };
  const nodemailer = loadNodemailer();
  const transporter = options.pool
    ? nodemailer.createTransport({ ...transportOptions, pool: true as const })
    : nodemailer.createTransport(transportOptions);
  const clean = (text: string): string => redact(text, secrets);

  return {
    name: 'email',

    async send(recipient: string, message: Message): Promise<void> {
      let info: { accepted?: unknown; rejected?: unknown; response?: unknown };
      try {
        info = await transporter.sendMail({ from: options.from, to: recipient, subject: message.subject, text: message.text(), html: message.html() });
      } catch (error) {
        throw classify(error, recipient, server, clean);
      }
      const rejected = Array.isArray(info.rejected) ? info.rejected : [];
      if (rejected.length > 0) {
        throw new PermanentDeliveryError(clean(`SMTP server ${server} rejected recipient ${quoted(String(rejected[0]))}`));
      }
      options.logger.debug('email.accepted', { recipient, response: typeof info.response === 'string' ? clean(info.response) : null });
    },

    async verify(): Promise<string> {
      try {
        await transporter.verify();
        return `server ${server}`;
      } catch (error) {
        throw new Error(clean(`cannot use SMTP server ${server}: ${firstLine(fieldsOf(error).message)}`), { cause: error });
      }
    },

    async close(): Promise<void> {
      transporter.close();
    },
  };
}

/** Turns a nodemailer error into PermanentDeliveryError (refused for good) or a plain, retryable Error. */
function classify(thrown: unknown, recipient: string, server: string, clean: (text: string) => string): Error {
  const error = fieldsOf(thrown);
  const code = typeof error.code === 'string' ? error.code : null;
  const reply = typeof error.responseCode === 'number' ? error.responseCode : null;
  const detail = firstLine(typeof error.response === 'string' ? error.response : error.message);
  const to = quoted(recipient);

  if (code === 'EAUTH' || code === 'ENOAUTH' || (reply !== null && AUTH_REPLY_CODES.has(reply))) {
    return new Error(clean(`SMTP server ${server} refused the login (check the user and password in the SMTP URL): ${detail}`), { cause: thrown });
  }
  // 5xx is a permanent refusal; 503 only means "bad sequence of commands", which a fresh connection fixes.
  if (reply !== null && reply >= 500 && reply < 600 && reply !== 503) {
    return new PermanentDeliveryError(clean(`SMTP server ${server} ${refusal(error.command, to)}: ${detail}`), { cause: thrown });
  }
  if (code === 'EENVELOPE' && reply === null && Array.isArray(error.rejected) && error.rejected.length > 0) {
    return new PermanentDeliveryError(clean(`SMTP server ${server} rejected recipient ${to}: ${detail}`), { cause: thrown });
  }
  if (code === 'ETIMEDOUT') {
    return new Error(clean(`SMTP server ${server} timed out sending to ${to}: ${detail}`), { cause: thrown });
  }
  if (reply !== null) {
    return new Error(clean(`SMTP server ${server} deferred the message to ${to}: ${detail}`), { cause: thrown });
  }
  return new Error(clean(`cannot send to ${to} through SMTP server ${server}: ${detail}`), { cause: thrown });
}

/** Reads a thrown value structurally (a socket error may be an Error of another realm). */
function fieldsOf(thrown: unknown): SmtpErrorFields {
  if (typeof thrown !== 'object' || thrown === null) return { message: String(thrown) };
  const fields = thrown as Partial<SmtpErrorFields>;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an error of another realm has its own toString
  return { ...fields, message: typeof fields.message === 'string' ? fields.message : String(thrown) };
}

/** What the server refused, from the SMTP command it answered. */
function refusal(command: unknown, to: string): string {
  const verb = typeof command === 'string' ? command.trim().split(/\s+/)[0]?.toUpperCase() : undefined;
  if (verb === 'RCPT') return `rejected recipient ${to}`;
  if (verb === 'MAIL') return 'refused the sender address (check TOKENWATCH_MAIL_FROM)';
  return `refused the message to ${to}`;
}

/** The server as it may be shown (scheme, host and port, no credentials), and the secrets to redact. */
function describeServer(smtpUrl: string): { server: string; secrets: string[] } {
  try {
    const url = new URL(smtpUrl);
    const secrets = url.password === '' ? [] : [url.password, safeDecode(url.password)];
    return { server: `${url.protocol}//${url.host}`, secrets };
  } catch {
    // config.ts validated the URL; if it is still unparsable, show nothing of it.
    return { server: '(invalid SMTP URL)', secrets: [smtpUrl] };
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

