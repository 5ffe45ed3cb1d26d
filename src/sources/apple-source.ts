// Source 2: Apple's own word on the VPP tokens of the token folder (TOKENWATCH_APPLE_CHECK=on). Each token file is
// asked about with `GET client/config` at most once a day (the answer is kept in apple_checks); its content is read
// from the file when needed, held in memory for the call only, and never stored. Two files of one location (same
// uId) are one credential. Apple's error for a token (9622) makes it `invalid`; a tokenExpirationDate that differs
// from the file's date is reported.
import type { DateTime } from 'luxon';
import type { Clock } from '../clock';
import { formatDate, parseAppleExpiry } from '../domain/dates';
import { oneLine } from '../errors';
import type { AppleCheckAnswer, AppleChecks } from '../store/apple-checks';
import { APPLE_INVALID_TOKEN, getClientConfig, type AppleClientOptions } from './apple-vpp-client';
import type { Source, SourceReading, SourceWarning, SourcedCredential, SourcedState } from './source';
import { VPP_TOKEN_FILE } from './token-file-kinds';
import { listTokenFiles, readTokenFileBytes } from './token-folder-source';

export const APPLE_SOURCE = 'apple';

/** A token is asked again once its last answer is this old. */
export const APPLE_CHECK_EVERY_MS = 24 * 3_600_000;

export interface AppleSourceOptions extends AppleClientOptions {
  readonly tokenDir: string;
  readonly checks: AppleChecks;
  readonly clock: Clock;
}

function stateOf(answer: AppleCheckAnswer): SourcedState {
  if (answer.errorNumber === null) return 'valid';
  return answer.errorNumber === APPLE_INVALID_TOKEN ? 'invalid' : 'unknown';
}

export function createAppleSource(options: AppleSourceOptions): Source {
  /** Apple's answer for one file: the day's kept answer, or a fresh one (then kept). */
  async function answerFor(fingerprint: string, sToken: () => string, signal?: AbortSignal): Promise<AppleCheckAnswer> {
    const now = options.clock.now();
    const kept = options.checks.get(fingerprint);
    if (kept !== null && now.toMillis() - kept.checkedAt.toMillis() < APPLE_CHECK_EVERY_MS && kept.checkedAt <= now) return kept.answer;
    const answer = await getClientConfig(options, sToken(), signal);
    const keptAnswer: AppleCheckAnswer =
      answer.type === 'error'
        ? {
            errorNumber: answer.errorNumber,
            errorMessage: answer.errorMessage,
            // Apple names no location for a token it rejects: the one it named before still identifies it.
            uId: kept?.answer.uId ?? null,
            locationName: kept?.answer.locationName ?? null,
            countryCode: kept?.answer.countryCode ?? null,
            tokenExpirationDate: null,
          }
        : {
            errorNumber: null,
            errorMessage: null,
            uId: answer.uId,
            locationName: answer.locationName,
            countryCode: answer.countryCode,
            tokenExpirationDate: answer.tokenExpirationDate,
          };
    options.checks.put(fingerprint, keptAnswer, now);
    return keptAnswer;
  }

  return {
    name: APPLE_SOURCE,

    async read(signal?: AbortSignal): Promise<SourceReading> {
      signal?.throwIfAborted();
      let files;
      try {
        files = listTokenFiles(options.tokenDir, [VPP_TOKEN_FILE]);
      } catch (error) {
        throw new Error(`token folder ${options.tokenDir}: cannot read (${oneLine(error)})`, { cause: error });
      }
      const byId = new Map<string, SourcedCredential>();
      const warnings: SourceWarning[] = [];
      for (const file of files) {
        signal?.throwIfAborted();
        let bytes: Buffer;
        let parsed;
        try {
          bytes = readTokenFileBytes(file);
          parsed = file.kind.parse(file.fileName, bytes);
        } catch {
          continue; // the folder source reports files that do not parse
        }
        const fingerprint = parsed.facts.fingerprint ?? '';
        // Read from the file when needed, for this call only; Apple's "sToken" is the file's content.
        const answer = await answerFor(fingerprint, () => bytes.toString('utf8').trim(), signal);
        const state = stateOf(answer);
        if (answer.errorNumber !== null && state !== 'invalid') {
          warnings.push({ sourceId: file.fileName, message: `${file.fileName}: Apple answered error ${answer.errorNumber}: ${answer.errorMessage ?? ''}` });
          continue;
        }
        const sourceId = answer.uId ?? `file:${file.fileName}`;
        const facts: SourcedCredential['facts'] = {
          ...parsed.facts,
          ...(answer.uId === null ? {} : { uId: answer.uId }),
          ...(answer.locationName === null ? {} : { locationName: answer.locationName }),
          ...(answer.countryCode === null ? {} : { countryCode: answer.countryCode }),
          ...(answer.errorNumber === null ? {} : { detail: `Apple error ${answer.errorNumber}: ${answer.errorMessage ?? ''}` }),
        };
        const mismatch = expiryMismatch(answer.tokenExpirationDate, parsed.expiresAt);
        if (mismatch !== null) warnings.push({ sourceId, message: `${file.fileName}: Apple says the token expires ${mismatch}, the file says ${formatDate(parsed.expiresAt, 'UTC')} (UTC)` });
        const credential: SourcedCredential = { sourceId, kind: 'vpp', name: parsed.name, expiresAt: parsed.expiresAt, state, appleId: null, mdm: null, facts };
        // Two files of one location are one token: the later file speaks for it.
        const other = byId.get(sourceId);
        if (other === undefined || (other.expiresAt?.toMillis() ?? 0) < parsed.expiresAt.toMillis()) byId.set(sourceId, credential);
      }
      return { credentials: [...byId.values()], warnings };
    },

    async check(signal?: AbortSignal): Promise<string> {
      const files = listTokenFiles(options.tokenDir, [VPP_TOKEN_FILE]);
      const file = files[0];
      if (file === undefined) return `${options.baseUrl}: no .vpptoken file in ${options.tokenDir} to ask about`;
      // A real call (not the day's kept answer): doctor checks that Apple can be reached now.
      const answer = await getClientConfig(options, readTokenFileBytes(file).toString('utf8').trim(), signal);
      const said = answer.type === 'error' ? `Apple error ${answer.errorNumber} for ${file.fileName}` : `${file.fileName} is ${answer.locationName ?? 'a location'}`;
      return `${options.baseUrl}: answers (${said}); ${files.length} VPP token file${files.length === 1 ? '' : 's'} checked at most once a day`;
    },
  };
}

/** Apple's date when it differs from the file's by more than a minute; null when they agree or Apple gave none. */
function expiryMismatch(apple: string | null, file: DateTime): string | null {
  if (apple === null) return null;
  const said = parseAppleExpiry(apple);
  if (said === null) return apple;
  return Math.abs(said.toMillis() - file.toMillis()) > 60_000 ? formatDate(said, 'UTC') : null;
}
