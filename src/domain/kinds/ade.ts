// The Automated Device Enrollment (ADE) server token: an S/MIME file (`<Server>_Token_<time>_smime.p7m`) from Apple
// Business or Apple School Manager for one MDM server, encrypted to the MDM's public key, valid one year. Sources for
// every path below: docs/renewal-steps.md.
import type { KindSpec } from './kind';

export const ADE = {
  kind: 'ade',
  label: 'ADE',
  noun: 'server token',
  title: 'ADE server token',
  fileHint: '_smime.p7m',
  portals: [
    { name: 'Apple Business', url: 'https://business.apple.com' },
    { name: 'Apple School Manager', url: 'https://school.apple.com' },
  ],
  urgentConsequence: 'before new devices stop enrolling in your MDM at activation',
  appleTitle: 'Download a new server token from Apple',
  steps: {
    apple: [
      'Sign in as {{appleAccount}} with a role that may manage device management services.',
      'Apple Business (https://business.apple.com): Devices > Management Services, select the MDM server of this token, then download a new token.',
      'Apple School Manager (https://school.apple.com): select your name at the bottom of the sidebar > Preferences, select the MDM server of this token, then Download Token.',
      'A new token replaces the active one for that server: upload it to the MDM right away.',
      'Warning: the token becomes invalid when the password of the Managed Apple Account that downloaded it changes.',
    ].join('\n'),
    console: {
      'workspace-one': [
        'In the Workspace ONE UEM console, at the Organization Group of the token ({{orgGroup}}), open Groups & Settings > All Settings > Devices & Users > Apple > Device Enrollment Program.',
        'Choose Renew, upload the new _smime.p7m file and Save.',
      ].join('\n'),
      jamf: [
        'In Jamf Pro, open Settings > Global > Automated Device Enrollment and select the instance for this MDM server.',
        'Choose Edit, upload the new service token (_smime.p7m) and Save.',
      ].join('\n'),
      intune: [
        'In the Microsoft Intune admin center, go to Devices > Enrollment > Apple > Enrollment program tokens and select the token.',
        'Choose Renew token, upload the new _smime.p7m file with the same Apple ID and save.',
      ].join('\n'),
      other: 'Upload the new _smime.p7m file where your MDM keeps its Automated Device Enrollment server token, for the same MDM server.',
    },
    verify: {
      'workspace-one': 'Check that the expiry date shown on the Device Enrollment Program page moved a year ahead, then choose Fetch All Devices (sync).',
      jamf: 'Check that the token expiration date of the instance moved a year ahead, then check that its devices synchronize.',
      intune: 'Check that the token shows the new expiration date, then choose Sync to fetch the assigned devices.',
      other: 'Check that your MDM shows the new expiry date for the token, then sync its device list.',
    },
    impact: [
      'After {{expiryDate}} new devices are not assigned to your MDM at activation: they set up without enrolling.',
      'Device assignments and enrollment profiles no longer sync. Devices already enrolled stay managed.',
    ].join('\n'),
    tellTokenwatch: [
      'Run this so tokenwatch tracks the new expiry date (estimated from the file name; add --expires DATE to set it exactly):',
      '$ tokenwatch renew {{tokenNameQuoted}} --file NEW_Token_<time>_smime.p7m',
    ].join('\n'),
  },
} as const satisfies KindSpec<'ade'>;
