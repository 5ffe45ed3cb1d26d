// The renewal steps a reminder walks the administrator through: default wording, placeholders and filling. Pure.
import type { ReminderToken } from './reminder';
import { formatDate } from './dates';

/** The placeholders a step template may use, written `{{name}}` in the template. */
export const STEP_PLACEHOLDERS = ['tokenName', 'tokenNameQuoted', 'orgName', 'appleAccount', 'orgGroup', 'expiryDate'] as const;
export type StepPlaceholder = (typeof STEP_PLACEHOLDERS)[number];

/** The value of every placeholder for one reminder; each is a single line of plain text. */
export type StepValues = Readonly<Record<StepPlaceholder, string>>;

/**
 * Plain-text wording of the four steps; an administrator may override each one (see config/steps/README.md).
 * A line starting with `- ` is a list item and one starting with `$ ` a command (see message/rich-text.ts).
 */
export interface StepTemplates {
  /** Step 1: download a new token from Apple. */
  readonly apple: string;
  /** Step 2: renew it in the Workspace ONE UEM console. */
  readonly console: string;
  /** Step 3: what stops working after expiry. */
  readonly impact: string;
  /** Step 4: tell tokenwatch about the new token. */
  readonly tellTokenwatch: string;
}

export const STEP_KEYS = ['apple', 'console', 'impact', 'tellTokenwatch'] as const satisfies readonly (keyof StepTemplates)[];
export type StepKey = (typeof STEP_KEYS)[number];

/** The heading shown before each step, in order. */
export const STEP_TITLES: Readonly<Record<StepKey, string>> = {
  apple: 'Download a new token from Apple',
  console: 'Renew the token in the console',
  impact: 'What stops working after expiry',
  tellTokenwatch: 'Tell tokenwatch',
};

export const DEFAULT_STEP_TEMPLATES: StepTemplates = Object.freeze({
  apple: [
    'Sign in to Apple Business Manager or Apple School Manager (or the legacy VPP portal) as {{appleAccount}}.',
    'It must be the same account that created this token: renewing with another account creates a different token.',
    'Legacy VPP portal: open the account menu > Account Summary > Download Token.',
    'Apple Business Manager: Preferences > Payments and Billing > Server Tokens, then download the token.',
  ].join('\n'),
  console: [
    'In the AirWatch / Workspace ONE UEM console, go to the Organization Group where the token resides: {{orgGroup}}.',
    'Open Groups & Settings > All Settings > Apps > Catalog > VPP Managed Distribution, choose Renew, upload the new .vpptoken file and Save.',
    'Then check that users can download VPP apps.',
    'Consoles older than version 7.3 cannot renew a token.',
  ].join('\n'),
  impact: [
    'After {{expiryDate}} the console can no longer:',
    '- sync licenses;',
    '- invite new users or update the status of invitations;',
    '- deploy new VPP apps (claim licenses);',
    '- let users download on-demand apps whose license was not claimed yet;',
    '- revoke licenses when devices are unenrolled, are deleted or leave an assignment rule.',
    'Apps already installed keep working.',
  ].join('\n'),
  tellTokenwatch: ['Run this so tokenwatch tracks the new expiry date:', '$ tokenwatch renew {{tokenNameQuoted}} --file new.vpptoken'].join('\n'),
} satisfies StepTemplates);

// `{{` … `}}` with no braces inside; what is between is checked against STEP_PLACEHOLDERS.
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

function isStepPlaceholder(name: string): name is StepPlaceholder {
  return (STEP_PLACEHOLDERS as readonly string[]).includes(name);
}

/** The `{{…}}` names in `template` that are not placeholders, in order of appearance, each once. */
export function unknownPlaceholders(template: string): string[] {
  const unknown: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!isStepPlaceholder(name) && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}

/** Replaces every known `{{placeholder}}` in `template` by its value; anything else is left as written. */
export function fillStep(template: string, values: StepValues): string {
  // A replacer function, so a `$&` in a value is inserted literally.
  return template.replace(PLACEHOLDER, (whole, name: string) => (isStepPlaceholder(name) ? values[name] : whole));
}

/** A user-supplied value on one line: runs of whitespace and control characters become one space. */
export function singleLine(value: string): string {
  return value.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

/** `"Acme Main"` for a shell command, escaping what double quotes do not protect. */
function shellQuoted(value: string): string {
  return `"${value.replace(/["\\$`]/g, (c) => `\\${c}`)}"`;
}

/** The placeholder values for `token`, dates in `zone`; a missing account or group says how to record it. */
export function stepValues(token: ReminderToken, zone: string): StepValues {
  const name = singleLine(token.name);
  const appleId = token.appleId === null ? '' : singleLine(token.appleId);
  const orgGroup = token.orgGroup === null ? '' : singleLine(token.orgGroup);
  const orgName = token.orgName === null ? '' : singleLine(token.orgName);
  return {
    tokenName: name,
    tokenNameQuoted: shellQuoted(name),
    orgName: orgName === '' ? 'unknown' : orgName,
    appleAccount:
      appleId === ''
        ? `the account that created it (not recorded: add it with tokenwatch edit ${shellQuoted(name)} --apple-id ACCOUNT)`
        : `"${appleId}"`,
    orgGroup:
      orgGroup === ''
        ? `the one where it was uploaded (not recorded: add it with tokenwatch edit ${shellQuoted(name)} --org-group PATH)`
        : `"${orgGroup}"`,
    expiryDate: formatDate(token.expiresAt, zone),
  };
}

/** The four steps for one reminder, in order, each with its heading and filled wording. */
export function renewalSteps(templates: StepTemplates, values: StepValues): { readonly title: string; readonly body: string }[] {
  return STEP_KEYS.map((key) => ({ title: STEP_TITLES[key], body: fillStep(templates[key], values) }));
}
