// Which MDM console a credential is uploaded to: selects the console part of each kind's renewal steps. Pure.

export const MDM_NAMES = ['workspace-one', 'jamf', 'intune', 'other'] as const;
export type MdmName = (typeof MDM_NAMES)[number];

/** The console's name as an administrator knows it. */
export const MDM_LABELS: Readonly<Record<MdmName, string>> = {
  'workspace-one': 'Workspace ONE UEM',
  jamf: 'Jamf Pro',
  intune: 'Microsoft Intune',
  other: 'your MDM',
};

export function isMdmName(value: string): value is MdmName {
  return (MDM_NAMES as readonly string[]).includes(value);
}
