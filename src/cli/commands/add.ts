// `tokenwatch add --name N (--expires DATE | --downloaded DATE)`: register a token without its file.
import type { Command } from 'commander';
import { InputError } from '../../errors';
import { expiryFromDownload, parseDateInput } from '../../domain/dates';
import { parseTokenName, parseTopic } from '../../domain/token-fields';
import type { CliContext } from '../context';
import { addTokenOptions, describedFields, parseTokenOptions, type RawTokenOptions } from '../token-options';

interface AddOptions extends RawTokenOptions {
  name: string;
  topic?: string;
  expires?: string;
  downloaded?: string;
}

export function registerAdd(program: Command, ctx: CliContext): void {
  addTokenOptions(
    program
      .command('add')
      .description('register a token by its expiry or download date')
      .requiredOption('--name <name>', 'name of the token')
      .option('--expires <date>', 'expiry: YYYY-MM-DD (midnight in the configured zone) or ISO 8601')
      .option('--downloaded <date>', 'download date; the expiry is 12 months later')
      .option('--topic <topic>', 'APNs only: the push topic, com.apple.mgmt.… (import reads it from the certificate)'),
  ).action((options: AddOptions) => {
    const zone = ctx.config.zone;
    if ((options.expires === undefined) === (options.downloaded === undefined)) {
      throw new InputError('add: give exactly one of --expires DATE or --downloaded DATE');
    }
    const name = parseTokenName(options.name, '--name');
    const fields = parseTokenOptions(options, ctx.config.teamsWebhooks.map((webhook) => webhook.name));
    const kind = fields.kind ?? 'vpp';
    if (options.topic !== undefined && kind !== 'apns') throw new InputError(`--topic: only an APNs push certificate has a topic (expected --kind apns)`);
    const topic = options.topic === undefined ? null : parseTopic(options.topic, '--topic');
    const now = ctx.clock.now();
    const downloaded = options.downloaded === undefined ? null : parseDateInput(options.downloaded, zone, '--downloaded');
    const expiresAt =
      downloaded === null ? parseDateInput(options.expires ?? '', zone, '--expires') : expiryFromDownload(downloaded, zone);
    const token = ctx.tokens.add(
      {
        name,
        kind,
        orgName: null,
        expiresAt,
        downloadedAt: downloaded,
        ...describedFields(fields, ctx.config.mdm),
        fingerprint: null,
        topic,
      },
      now,
    );
    ctx.io.out(`Added "${token.name}" (expires ${token.expiresAt.setZone(zone).toISODate()}).`);
  });
}
