// The renewal steps a reminder walks the administrator through: default wording, placeholders and filling. Pure.
import type { ReminderToken } from './reminder';
import { formatDate } from './dates';
import { KINDS, MDM_LABELS, MDM_NAMES, TOKEN_KINDS, type MdmName, type TokenKind } from './kinds';

/** The placeholders a step template may use, written `{{name}}` in the template. */
export const STEP_PLACEHOLDERS = ['tokenName', 'tokenNameQuoted', 'orgName', 'appleAccount', 'orgGroup', 'expiryDate', 'topic'] as const;
export type StepPlaceholder = (typeof STEP_PLACEHOLDERS)[number];

/** The value of every placeholder for one reminder; each is a single line of plain text. */
export type StepValues = Readonly<Record<StepPlaceholder, string>>;

/**
 * Plain-text wording of the five steps for one kind and one MDM; each may be overridden (see docs/renewal-steps.md).
 * A line starting with `- ` is a list item and one starting with `$ ` a command (see message/rich-text.ts).
 */
export interface StepTemplates {
  /** Step 1: the Apple side (download or renew at Apple's portal). */
  readonly apple: string;
  /** Step 2: upload it in the MDM console. */
  readonly console: string;
  /** Step 3: check in the console that it took. */
  readonly verify: string;
  /** Step 4: what stops working after expiry. */
  readonly impact: string;
  /** Step 5: tell tokenwatch about the new credential. */
  readonly tellTokenwatch: string;
}

export const STEP_KEYS = ['apple', 'console', 'verify', 'impact', 'tellTokenwatch'] as const satisfies readonly (keyof StepTemplates)[];
export type StepKey = (typeof STEP_KEYS)[number];

/** The step wording of every kind for every MDM console. */
export type StepLibrary = Readonly<Record<TokenKind, Readonly<Record<MdmName, StepTemplates>>>>;

/** The built-in wording of `kind`'s steps for `mdm`, from the kind's registry entry. */
export function defaultStepTemplates(kind: TokenKind, mdm: MdmName): StepTemplates {
  const { steps } = KINDS[kind];
  return Object.freeze({
    apple: steps.apple,
    console: steps.console[mdm],
    verify: steps.verify[mdm],
    impact: steps.impact,
    tellTokenwatch: steps.tellTokenwatch,
  });
}

function libraryOf(templatesOf: (kind: TokenKind, mdm: MdmName) => StepTemplates): StepLibrary {
  const byKind = (kind: TokenKind): Readonly<Record<MdmName, StepTemplates>> =>
    Object.freeze(Object.fromEntries(MDM_NAMES.map((mdm) => [mdm, templatesOf(kind, mdm)])) as Record<MdmName, StepTemplates>);
  return Object.freeze(Object.fromEntries(TOKEN_KINDS.map((kind) => [kind, byKind(kind)])) as Record<TokenKind, Record<MdmName, StepTemplates>>);
}

/** Every kind's built-in wording for every MDM. */
export const DEFAULT_STEP_LIBRARY: StepLibrary = libraryOf(defaultStepTemplates);

/** A library built from per-kind, per-MDM templates (the loader's overrides applied on the defaults). */
export function stepLibrary(templatesOf: (kind: TokenKind, mdm: MdmName) => StepTemplates): StepLibrary {
  return libraryOf(templatesOf);
}

/** The same wording for every kind and MDM (a test-notify message, tests). */
export function uniformStepLibrary(templates: StepTemplates): StepLibrary {
  return libraryOf(() => templates);
}

/** The VPP content token's built-in wording for Workspace ONE UEM (the default kind and console). */
export const DEFAULT_STEP_TEMPLATES: StepTemplates = DEFAULT_STEP_LIBRARY.vpp['workspace-one'];

/** The heading of each step, in order, for `kind` uploaded to `mdm`. */
export function stepTitles(kind: TokenKind, mdm: MdmName): Readonly<Record<StepKey, string>> {
  const spec = KINDS[kind];
  const where = mdm === 'other' ? 'your MDM' : MDM_LABELS[mdm];
  return {
    apple: spec.appleTitle,
    console: `Upload the new ${spec.noun} in ${where}`,
    verify: `Check that ${where} took it`,
    impact: 'What stops working after expiry',
    tellTokenwatch: 'Tell tokenwatch',
  };
}

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
export function shellQuoted(value: string): string {
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
    topic: topicValue(token, name),
  };
}

/** The push topic for APNs steps; for other kinds there is none. */
function topicValue(token: ReminderToken, name: string): string {
  const topic = token.topic === undefined || token.topic === null ? '' : singleLine(token.topic);
  if (topic !== '') return topic;
  if (token.kind !== 'apns') return 'none (not a push certificate)';
  return `not recorded (import the certificate file with tokenwatch renew ${shellQuoted(name)} --file MDM_push.pem)`;
}

/** The steps for one reminder, in order, each with its heading and filled wording. */
export function renewalSteps(
  templates: StepTemplates,
  values: StepValues,
  titles: Readonly<Record<StepKey, string>> = stepTitles('vpp', 'workspace-one'),
): { readonly title: string; readonly body: string }[] {
  return STEP_KEYS.map((key) => ({ title: titles[key], body: fillStep(templates[key], values) }));
}

/** The steps of `token` (its kind and MDM) from `library`, filled with its values. */
export function tokenSteps(library: StepLibrary, token: ReminderToken, values: StepValues): { readonly title: string; readonly body: string }[] {
  const kind = KINDS[token.kind] === undefined ? 'vpp' : token.kind;
  const mdm = token.mdm ?? 'workspace-one';
  return renewalSteps(library[kind][mdm], values, stepTitles(kind, mdm));
}
