// A real SMTP server on 127.0.0.1 for tests: collects what it receives, and can be told to refuse or defer.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope sender (MAIL FROM); '' for the null sender. */
  readonly envelopeFrom: string;
  /** Envelope recipients (RCPT TO) the server accepted. */
  readonly envelopeTo: readonly string[];
  /** Header fields as text, e.g. 'tokenwatch <tokenwatch@localhost>'. */
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** '' when the message had no HTML part. */
  readonly html: string;
  /** The message exactly as received (headers and MIME body). */
  readonly raw: string;
}

/** The SMTP step a scripted failure answers at. */
export type SmtpStage = 'connect' | 'mail' | 'rcpt' | 'data';

export interface SmtpFailure {
  /** SMTP reply code, e.g. 421, 451 (temporary) or 550, 554 (permanent). */
  readonly code: number;
  /** Where to answer with it; 'rcpt' by default. */
  readonly stage?: SmtpStage;
  readonly message?: string;
}

export interface SmtpReceiverOptions {
  /** Require AUTH with these credentials (LOGIN/PLAIN over plain text); without it no login is asked. */
  readonly auth?: { readonly user: string; readonly password: string };
  /** Recipients refused at RCPT TO with `rejectCode` (550 by default), every time. */
  readonly rejectRecipients?: readonly string[] | ((address: string) => boolean);
  readonly rejectCode?: number;
  /** The first `count` attempts fail with `failure` (e.g. `{ count: 2, failure: { code: 451 } }`), then all is accepted. */
  readonly failFirst?: { readonly count: number; readonly failure: SmtpFailure };
  /**
   * Wait this long after a message's data has arrived before accepting it (the reply to the final "."), so that a
   * client can die between sending a message and learning it was accepted. 0 (no wait) by default.
   */
  readonly delayMs?: number;
}

export interface SmtpReceiver {
  /** smtp://127.0.0.1:PORT (add credentials yourself when `auth` is set). */
  readonly url: string;
  readonly port: number;
  /** Messages received so far, in order. */
  readonly messages: readonly ReceivedMail[];
  /** How many connections were opened, and how many MAIL FROM were attempted (including failed ones). */
  readonly stats: { readonly connections: number; readonly attempts: number };
  /** The next `count` attempts fail with `failure` (counted per MAIL FROM, or per connection for stage 'connect'). */
  failNext(count: number, failure: SmtpFailure): void;
  /** Resolves with the messages once at least `count` arrived; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<readonly ReceivedMail[]>;
  /**
   * Resolves once the data of at least `count` messages has arrived, accepted or still held (`delayMs`): while one is
   * held the client has nothing to do but wait for the reply, so a test can pause it there and know it is not in the
   * middle of writing to its database. Rejects after `timeoutMs`.
   */
  waitForData(count: number, timeoutMs?: number): Promise<void>;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

function defaultText(code: number): string {
  if (code === 421) return 'Service not available, closing transmission channel';
  if (code >= 400 && code < 500) return 'Requested action aborted: try again later';
  if (code === 550) return 'Mailbox unavailable';
  if (code === 553) return 'Mailbox name not allowed';
  return 'Transaction failed';
}

export async function startSmtpReceiver(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const events = new EventEmitter();
  const stats = { connections: 0, attempts: 0 };
  let dataArrived = 0;
  let pending: { remaining: number; failure: SmtpFailure } | null =
    options.failFirst !== undefined && options.failFirst.count > 0 ? { remaining: options.failFirst.count, failure: options.failFirst.failure } : null;
  // Which sessions are failing this attempt, and at which stage.
  const failing = new Map<string, SmtpFailure>();

  const isRejected = (address: string): boolean => {
    const reject = options.rejectRecipients;
    if (reject === undefined) return false;
    if (typeof reject === 'function') return reject(address);
    return reject.some((candidate) => candidate.toLowerCase() === address.toLowerCase());
  };

  const takeFailure = (stageIsConnect: boolean): SmtpFailure | null => {
    if (pending === null) return null;
    if (((pending.failure.stage ?? 'rcpt') === 'connect') !== stageIsConnect) return null;
    const { failure } = pending;
    pending.remaining -= 1;
    if (pending.remaining <= 0) pending = null;
    return failure;
  };

  const failAt = (session: SMTPServerSession, stage: SmtpStage): Error | null => {
    const failure = failing.get(session.id);
    if (failure === undefined || (failure.stage ?? 'rcpt') !== stage) return null;
    failing.delete(session.id);
    return smtpError(failure.code, failure.message ?? defaultText(failure.code));
  };

  const server = new SMTPServer({
    secure: false,
    disabledCommands: options.auth === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    authOptional: options.auth === undefined,
    allowInsecureAuth: true,
    logger: false,
    closeTimeout: 100,
    onConnect(_session, callback) {
      stats.connections += 1;
      const failure = takeFailure(true);
      if (failure !== null) return callback(smtpError(failure.code, failure.message ?? defaultText(failure.code)));
      return callback();
    },
    onAuth(auth, _session, callback) {
      const expected = options.auth;
      if (expected !== undefined && auth.username === expected.user && auth.password === expected.password) {
        return callback(null, { user: auth.username });
      }
      return callback(smtpError(535, 'Authentication credentials invalid'));
    },
    onMailFrom(_address, session, callback) {
      stats.attempts += 1;
      const failure = takeFailure(false);
      if (failure !== null) failing.set(session.id, failure);
      else failing.delete(session.id);
      return callback(failAt(session, 'mail'));
    },
    onRcptTo(address, session, callback) {
      const scripted = failAt(session, 'rcpt');
      if (scripted !== null) return callback(scripted);
      if (isRejected(address.address)) {
        const code = options.rejectCode ?? 550;
        return callback(smtpError(code, `<${address.address}>: ${defaultText(code)}`));
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      const accept = (): void => {
        const scripted = failAt(session, 'data');
        if (scripted !== null) return callback(scripted);
        const raw = Buffer.concat(chunks);
        const envelope = session.envelope;
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              envelopeFrom: envelope.mailFrom === false ? '' : envelope.mailFrom.address,
              envelopeTo: envelope.rcptTo.map((rcpt) => rcpt.address),
              from: parsed.from?.text ?? '',
              to: parsed.to === undefined ? '' : Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : parsed.to.text,
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              raw: raw.toString('utf8'),
            });
            events.emit('message');
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      };
      stream.on('end', () => {
        dataArrived += 1;
        events.emit('data');
        const delayMs = options.delayMs ?? 0;
        if (delayMs > 0) setTimeout(accept, delayMs);
        else accept();
      });
    },
  });
  server.on('error', () => {
    // Client sockets that vanish mid-session are expected in failure tests.
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    stats,
    failNext(count, failure) {
      pending = count > 0 ? { remaining: count, failure } : null;
    },
    waitForMessages(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (messages.length < count) return false;
          clearTimeout(timer);
          events.off('message', check);
          resolve(messages);
          return true;
        };
        const timer = setTimeout(() => {
          events.off('message', check);
          reject(new Error(`SMTP receiver: expected ${count} message(s) within ${timeoutMs} ms, got ${messages.length}`));
        }, timeoutMs);
        if (!check()) events.on('message', check);
      });
    },
    waitForData(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (dataArrived < count) return false;
          clearTimeout(timer);
          events.off('data', check);
          resolve();
          return true;
        };
        const timer = setTimeout(() => {
          events.off('data', check);
          reject(new Error(`SMTP receiver: expected the data of ${count} message(s) within ${timeoutMs} ms, got ${dataArrived}`));
        }, timeoutMs);
        if (!check()) events.on('data', check);
      });
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Pooled clients keep their connection open: drop them instead of waiting for closeTimeout.
        for (const connection of server.connections) connection.close();
      });
      return closed;
    },
  };
}
