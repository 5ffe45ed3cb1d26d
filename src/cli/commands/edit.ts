// `tokenwatch edit NAME [options]` and `tokenwatch remove NAME`.
import type { Command } from 'commander';
import { InputError, quoted } from '../../errors';
import { parseTokenName } from '../../domain/token-fields';
import type { TokenEdit } from '../../store/token-repository';
import type { CliContext } from '../context';
import { addTokenOptions, parseTokenOptions, type RawTokenOptions } from '../token-options';

interface EditOptions extends RawTokenOptions {
  rename?: string;
  clear?: string[];
}

const CLEARABLE = [
  'apple-id',
  'org-group',
  'email',
  'slack-channel',
  'teams',
  'escalate-email',
  'escalate-slack',
  'escalate-teams',
  'slack-mention',
  'thresholds',
  'notes',
  'console-url',
] as const;

export function registerEdit(program: Command, ctx: CliContext): void {
  addTokenOptions(
    program
      .command('edit')
      .description('change a token\'s details')
      .argument('<name>', 'token name')
      .option('--rename <name>', 'new name')
      .option('--clear <field...>', `clear optional fields: ${CLEARABLE.join(', ')}`),
  ).action((name: string, options: EditOptions) => {
    const fields = parseTokenOptions(options, ctx.config.teamsWebhooks.map((webhook) => webhook.name));
    const changes: TokenEdit = {};
    if (options.rename !== undefined) changes.name = parseTokenName(options.rename, '--rename');
    if (fields.kind !== undefined) changes.kind = fields.kind;
    if (fields.mdm !== undefined) changes.mdm = fields.mdm;
    if (fields.appleId !== undefined) changes.appleId = fields.appleId;
    if (fields.orgGroup !== undefined) changes.orgGroup = fields.orgGroup;
    if (fields.email !== undefined) changes.email = fields.email;
    if (fields.slackChannel !== undefined) changes.slackChannel = fields.slackChannel;
    if (fields.teams !== undefined) changes.teams = fields.teams;
    if (fields.escalateEmail !== undefined) changes.escalateEmail = fields.escalateEmail;
    if (fields.escalateSlack !== undefined) changes.escalateSlack = fields.escalateSlack;
    if (fields.escalateTeams !== undefined) changes.escalateTeams = fields.escalateTeams;
    if (fields.slackMentions !== undefined) changes.slackMentions = fields.slackMentions;
    if (fields.thresholds !== undefined) changes.thresholds = fields.thresholds;
    if (fields.notes !== undefined) changes.notes = fields.notes;
    if (fields.consoleUrl !== undefined) changes.consoleUrl = fields.consoleUrl;
    for (const field of options.clear ?? []) {
      switch (field) {
        case 'apple-id': changes.appleId = null; break;
        case 'org-group': changes.orgGroup = null; break;
        case 'email': changes.email = null; break;
        case 'slack-channel': changes.slackChannel = null; break;
        case 'teams': changes.teams = null; break;
        case 'escalate-email': changes.escalateEmail = null; break;
        case 'escalate-slack': changes.escalateSlack = null; break;
        case 'escalate-teams': changes.escalateTeams = null; break;
        case 'slack-mention': changes.slackMentions = null; break;
        case 'thresholds': changes.thresholds = null; break;
        case 'notes': changes.notes = null; break;
        case 'console-url': changes.consoleUrl = null; break;
        default:
          throw new InputError(`--clear: unknown field ${quoted(field)} (expected one of ${CLEARABLE.join(', ')})`);
      }
    }
    if (Object.keys(changes).length === 0) throw new InputError('edit: nothing to change (expected at least one option)');
    const token = ctx.tokens.edit(name, changes, ctx.clock.now());
    ctx.io.out(`Updated "${token.name}".`);
  });

  program
    .command('remove')
    .description('remove a token from the registry (its history is kept)')
    .argument('<name>', 'token name')
    .action((name: string) => {
      const token = ctx.tokens.remove(name, ctx.clock.now());
      ctx.io.out(`Removed "${token.name}".`);
    });
}
