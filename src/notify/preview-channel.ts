// The preview channel: when no SMTP, Slack or Teams is configured, each reminder is written to a folder instead, as
// the real MIME email (.eml), the Slack payload (.slack.json) or the Teams card (.teams.json), readable by the owner
// only. A reminder routed to `email:ADDRESS` is written as that email (To: ADDRESS), one routed to `slack:#CHANNEL` as
// that Slack post, one routed to `teams:NAME` as that webhook's card; one with no recipient at all (PREVIEW_RECIPIENT)
// as an email and a Slack post, addressed to the configured recipients or a placeholder.
import fs from 'node:fs';
import path from 'node:path';
import { errorCode } from '../errors';
import type { Message } from '../domain/message/message';
import { previewedRoute } from '../domain/routing';
import type { Logger } from '../log';
import type { Channel } from './channel';
import type { ChannelSpec } from './channel-spec';

// nodemailer (which writes the .eml) is loaded when the channel is created, not when the CLI starts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadNodemailer = (): typeof import('nodemailer') => require('nodemailer') as typeof import('nodemailer');

/** The preview channel's registration: it stands in when no other channel is configured. */
export const PREVIEW_CHANNEL: ChannelSpec = {
  name: 'preview',
  doctorLabel: 'preview',
  isFallback: true,
  noRecipientHint: 'no folder (set TOKENWATCH_PREVIEW_DIR)',
  configure: (config) => ({
    create: ({ logger }) => createPreviewChannel({ dir: config.previewDir, from: config.mailFrom, emailTo: config.mailTo, logger }),
    describe: `no SMTP or Slack configured: reminders are written to ${config.previewDir} instead (set TOKENWATCH_SMTP_URL or SLACK_BOT_TOKEN to send them)`,
  }),
};

export interface PreviewChannelOptions {
  dir: string;
  from: string;
  /** The configured email recipients, shown in the To: header of a preview that has no recipient of its own. */
  emailTo: readonly string[];
  logger: Logger;
  /** Clock for the file names; the current time by default. */
  now?: () => Date;
}

const PLACEHOLDER_TO = 'admin@localhost (set TOKENWATCH_MAIL_TO)';
const MAX_SLUG_LENGTH = 60;

export function createPreviewChannel(options: PreviewChannelOptions): Channel {
  const now = options.now ?? ((): Date => new Date());
  const transporter = loadNodemailer().createTransport({ streamTransport: true, buffer: true });
  let counter = 0;

  const ensureDir = async (): Promise<void> => {
    const created = await fs.promises.mkdir(options.dir, { recursive: true, mode: 0o700 });
    // mkdir applies the umask; a folder we created must end up owner-only whatever it is.
    if (created !== undefined) await fs.promises.chmod(options.dir, 0o700);
  };

  const emailOf = async (to: string, message: Message): Promise<Buffer> => {
    const info = await transporter.sendMail({ from: options.from, to, subject: message.subject, text: message.text(), html: message.html() });
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- with streamTransport + buffer, the message is a Buffer or a string
    return Buffer.isBuffer(info.message) ? info.message : Buffer.from(String(info.message));
  };

  const slackOf = (channel: string | null, message: Message): string => {
    const payload = message.slack();
    return `${JSON.stringify({ ...(channel === null ? {} : { channel }), text: payload.text, blocks: payload.blocks }, null, 2)}\n`;
  };

  const write = async (recipient: string, message: Message): Promise<void> => {
    await ensureDir();
    const route = previewedRoute(recipient);
    const files: { suffix: string; content: Buffer | string }[] = [];
    if (route === null || route.channel === 'email') {
      const to = route?.recipient ?? (options.emailTo.length > 0 ? options.emailTo.join(', ') : PLACEHOLDER_TO);
      files.push({ suffix: '.eml', content: await emailOf(to, message) });
    }
    if (route === null || route.channel === 'slack') files.push({ suffix: '.slack.json', content: slackOf(route?.recipient ?? null, message) });
    if (route?.channel === 'teams') files.push({ suffix: '.teams.json', content: `${JSON.stringify({ webhook: route.recipient, ...message.teams() }, null, 2)}\n` });

    const prefix = `${timestamp(now())}-${slugify(message.subject)}`;
    // The counter makes names unique within this process; `wx` makes them unique against files already there.
    for (;;) {
      counter += 1;
      const base = path.join(options.dir, `${prefix}-${counter}`);
      const written: string[] = [];
      for (const file of files) {
        if (!(await writeNew(`${base}${file.suffix}`, file.content))) break;
        written.push(`${base}${file.suffix}`);
      }
      if (written.length < files.length) {
        for (const done of written) await fs.promises.rm(done, { force: true });
        continue;
      }
      // The files first, then whom they stand for, as a reader of the terminal looks for them.
      const logged = Object.fromEntries(written.map((file) => [file.slice(base.length + 1).replace(/\.json$/, ''), file]));
      options.logger.info('preview.written', { ...logged, recipient });
      return;
    }
  };

  return {
    name: 'preview',

    async send(recipient: string, message: Message): Promise<void> {
      try {
        await write(recipient, message);
      } catch (error) {
        throw new Error(`cannot write the preview to ${options.dir}: ${messageOf(error)}`, { cause: error });
      }
    },

    async verify(): Promise<string> {
      const probe = path.join(options.dir, `.tokenwatch-write-check-${process.pid}`);
      try {
        await ensureDir();
        await fs.promises.writeFile(probe, '', { mode: 0o600 });
        return `writing to ${options.dir}`;
      } catch (error) {
        throw new Error(`cannot write to the preview folder ${options.dir}: ${messageOf(error)}`, { cause: error });
      } finally {
        await fs.promises.rm(probe, { force: true }).catch(() => {});
      }
    },

    async close(): Promise<void> {
      transporter.close();
    },
  };
}

/** Writes a file that must not exist yet, owner-only; false when the name is taken. */
async function writeNew(file: string, data: string | Buffer): Promise<boolean> {
  try {
    await fs.promises.writeFile(file, data, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  // writeFile's mode is filtered by the umask: set it explicitly.
  await fs.promises.chmod(file, 0o600);
  return true;
}

/** yyyyMMdd-HHmmss-SSS in the process's local time. */
function timestamp(date: Date): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}` +
    `-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}-${pad(date.getMilliseconds(), 3)}`
  );
}

/** A file-name-safe form of the subject: lower-case ASCII letters and digits joined by dashes. */
function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/g, '');
  return slug === '' ? 'reminder' : slug;
}

/** The message of anything thrown (fs errors may come from another realm, so no instanceof). */
function messageOf(thrown: unknown): string {
  const message: unknown = typeof thrown === 'object' && thrown !== null ? (thrown as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(thrown);
}
