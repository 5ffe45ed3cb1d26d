// The options that describe a token, shared by import, add and edit, parsed into validated fields.
import type { Command } from 'commander';
import {
  checkTeamsWebhook,
  parseAppleId,
  parseConsoleUrl,
  parseEmailList,
  parseKind,
  parseMdm,
  parseOrgGroup,
  parseSlackChannel,
  parseSlackChannelList,
  parseSlackMentions,
  parseTeamsWebhookList,
  parseTeamsWebhookName,
  parseThresholds,
} from '../domain/token-fields';
import type { MdmName } from '../domain/kinds';
import type { TokenInput, TokenKind } from '../domain/token';

export interface RawTokenOptions {
  kind?: string;
  mdm?: string;
  appleId?: string;
  orgGroup?: string;
  email?: string;
  slackChannel?: string;
  teams?: string;
  escalateEmail?: string;
  escalateSlack?: string;
  escalateTeams?: string;
  slackMention?: string;
  thresholds?: string;
  notes?: string;
  consoleUrl?: string;
}

export interface TokenOptionValues {
  kind?: TokenKind;
  mdm?: MdmName;
  appleId?: string;
  orgGroup?: string;
  email?: string[];
  slackChannel?: string;
  teams?: string;
  escalateEmail?: string[];
  escalateSlack?: string[];
  escalateTeams?: string[];
  slackMentions?: string[];
  thresholds?: number[];
  notes?: string;
  consoleUrl?: string;
}

export function addTokenOptions(command: Command): Command {
  return command
    .option('--kind <kind>', 'token kind: vpp, apns or ade')
    .option('--mdm <console>', 'the MDM console it is uploaded to: workspace-one, jamf, intune or other (default TOKENWATCH_MDM)')
    .option('--apple-id <account>', 'the Apple account that created the token')
    .option('--org-group <path>', 'the console Organization Group where the token resides')
    .option('--email <addresses>', 'email recipients, comma-separated (instead of the default ones)')
    .option('--slack-channel <channel>', 'Slack channel (instead of the default one)')
    .option('--teams <name>', 'Teams webhook by name, one of TOKENWATCH_TEAMS_WEBHOOKS (instead of the default one)')
    .option('--escalate-email <addresses>', 'escalation: also email the smallest-threshold and expired alerts to these, comma-separated (instead of TOKENWATCH_ESCALATE_EMAIL)')
    .option('--escalate-slack <channels>', 'escalation: also post them to these Slack channels or user IDs, comma-separated (instead of TOKENWATCH_ESCALATE_SLACK)')
    .option('--escalate-teams <names>', 'escalation: also post them to these Teams webhooks, by name, comma-separated (instead of TOKENWATCH_ESCALATE_TEAMS)')
    .option('--slack-mention <ids>', 'Slack user (U…, W…) or user-group (S…) IDs its Slack messages mention, comma-separated (instead of TOKENWATCH_SLACK_MENTION)')
    .option('--thresholds <days>', 'reminder thresholds in days, e.g. 60,30,7 (instead of the default ones)')
    .option('--notes <text>', 'free-form notes')
    .option('--console-url <url>', "the token's page in the MDM console, https (instead of TOKENWATCH_CONSOLE_URL in its messages)");
}

/**
 * Validates the given options; absent ones stay absent. `teamsWebhooks`: the configured webhook names, which `--teams`
 * must be one of when any is configured.
 */
/** What the options describe of a new token (null where not given; `defaultMdm` when --mdm is not), for add and import. */
export type DescribedFields = Pick<
  TokenInput,
  | 'appleId' | 'orgGroup' | 'email' | 'slackChannel' | 'teams' | 'escalateEmail' | 'escalateSlack' | 'escalateTeams'
  | 'slackMentions' | 'thresholds' | 'notes' | 'mdm' | 'consoleUrl'
>;

export function describedFields(fields: TokenOptionValues, defaultMdm: MdmName): DescribedFields {
  return {
    appleId: fields.appleId ?? null,
    orgGroup: fields.orgGroup ?? null,
    email: fields.email ?? null,
    slackChannel: fields.slackChannel ?? null,
    teams: fields.teams ?? null,
    escalateEmail: fields.escalateEmail ?? null,
    escalateSlack: fields.escalateSlack ?? null,
    escalateTeams: fields.escalateTeams ?? null,
    slackMentions: fields.slackMentions ?? null,
    thresholds: fields.thresholds ?? null,
    notes: fields.notes ?? null,
    mdm: fields.mdm ?? defaultMdm,
    consoleUrl: fields.consoleUrl ?? null,
  };
}

export function parseTokenOptions(raw: RawTokenOptions, teamsWebhooks: readonly string[]): TokenOptionValues {
  const values: TokenOptionValues = {};
  if (raw.kind !== undefined) values.kind = parseKind(raw.kind, '--kind');
  if (raw.mdm !== undefined) values.mdm = parseMdm(raw.mdm, '--mdm');
  if (raw.appleId !== undefined) values.appleId = parseAppleId(raw.appleId, '--apple-id');
  if (raw.orgGroup !== undefined) values.orgGroup = parseOrgGroup(raw.orgGroup, '--org-group');
  if (raw.email !== undefined) values.email = parseEmailList(raw.email, '--email');
  if (raw.slackChannel !== undefined) values.slackChannel = parseSlackChannel(raw.slackChannel, '--slack-channel');
  if (raw.teams !== undefined) values.teams = checkTeamsWebhook(parseTeamsWebhookName(raw.teams, '--teams'), teamsWebhooks, '--teams');
  if (raw.escalateEmail !== undefined) values.escalateEmail = parseEmailList(raw.escalateEmail, '--escalate-email');
  if (raw.escalateSlack !== undefined) values.escalateSlack = parseSlackChannelList(raw.escalateSlack, '--escalate-slack');
  if (raw.escalateTeams !== undefined) values.escalateTeams = parseTeamsWebhookList(raw.escalateTeams, '--escalate-teams', teamsWebhooks);
  if (raw.slackMention !== undefined) values.slackMentions = parseSlackMentions(raw.slackMention, '--slack-mention');
  if (raw.thresholds !== undefined) values.thresholds = parseThresholds(raw.thresholds, '--thresholds');
  if (raw.notes !== undefined) values.notes = raw.notes;
  if (raw.consoleUrl !== undefined) values.consoleUrl = parseConsoleUrl(raw.consoleUrl, '--console-url');
  return values;
}
