// Builds .vpptoken file contents the way Apple does: base64 of a JSON object.
export interface TokenFileFields {
  token?: unknown;
  expDate?: unknown;
  orgName?: unknown;
  [extra: string]: unknown;
}

export function makeTokenFile(fields: TokenFileFields): Buffer {
  return Buffer.from(Buffer.from(JSON.stringify(fields)).toString('base64'));
}
