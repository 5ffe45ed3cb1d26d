// Source 1: a folder of token files (TOKENWATCH_TOKEN_DIR). Every token file in it is a credential, its file name
// the id; a file that does not parse is a warning, named, and skipped. The folder is only ever read.
import fs from 'node:fs';
import path from 'node:path';
import { errorCode, oneLine } from '../errors';
import { MAX_TOKEN_FILE_BYTES } from '../domain/token-file';
import type { Source, SourceReading, SourceWarning, SourcedCredential } from './source';
import { TOKEN_FILE_KINDS, kindOfFile, type TokenFileKind } from './token-file-kinds';

export const TOKEN_FOLDER_SOURCE = 'folder';

/** A token file found in the folder, read. The bytes are for the caller's use only (Apple's check) and never kept. */
export interface FolderFile {
  readonly fileName: string;
  readonly path: string;
  readonly kind: TokenFileKind;
}

/** The token files in `dir`, by name; throws when the folder itself cannot be read. */
export function listTokenFiles(dir: string, kinds: readonly TokenFileKind[] = TOKEN_FILE_KINDS): FolderFile[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  const files: FolderFile[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const kind = kindOfFile(entry.name, kinds);
    if (kind === null) continue;
    files.push({ fileName: entry.name, path: path.join(dir, entry.name), kind });
  }
  return files.sort((a, b) => a.fileName.localeCompare(b.fileName));
}

/** Reads one token file's bytes with the checks a path needs; throws a one-line error naming the file. */
export function readTokenFileBytes(file: FolderFile): Buffer {
  const stat = fs.statSync(file.path);
  if (!stat.isFile()) throw new Error(`${file.fileName}: not a regular file`);
  if (stat.size > MAX_TOKEN_FILE_BYTES) throw new Error(`${file.fileName}: ${stat.size} bytes is too large for a token file (at most ${MAX_TOKEN_FILE_BYTES})`);
  return fs.readFileSync(file.path);
}

export function createTokenFolderSource(dir: string, kinds: readonly TokenFileKind[] = TOKEN_FILE_KINDS): Source {
  const listOrThrow = (): FolderFile[] => {
    try {
      return listTokenFiles(dir, kinds);
    } catch (error) {
      throw new Error(`token folder ${dir}: cannot read (${errorCode(error) ?? oneLine(error)}; expected a readable folder, TOKENWATCH_TOKEN_DIR)`, { cause: error });
    }
  };
  return {
    name: TOKEN_FOLDER_SOURCE,

    async read(signal?: AbortSignal): Promise<SourceReading> {
      signal?.throwIfAborted();
      const credentials: SourcedCredential[] = [];
      const warnings: SourceWarning[] = [];
      for (const file of listOrThrow()) {
        signal?.throwIfAborted();
        try {
          const recognized = file.kind.parse(file.fileName, readTokenFileBytes(file));
          credentials.push({
            sourceId: file.fileName,
            kind: recognized.kind,
            name: recognized.name,
            expiresAt: recognized.expiresAt,
            state: 'valid',
            appleId: null,
            mdm: null,
            facts: recognized.facts,
          });
        } catch (error) {
          const message = oneLine(error);
          warnings.push({ sourceId: file.fileName, message: message.startsWith(file.fileName) ? message : `${file.fileName}: ${message}` });
        }
      }
      return { credentials, warnings };
    },

    async check(): Promise<string> {
      const files = listOrThrow();
      return `${dir}: ${files.length} token file${files.length === 1 ? '' : 's'}`;
    },
  };
}
