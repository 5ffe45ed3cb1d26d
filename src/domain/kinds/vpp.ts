// The Apps and Books (VPP) content token: a .vpptoken file from Apple Business or Apple School Manager, one per
// location, valid one year. Sources for every path below: docs/renewal-steps.md.
import type { KindSpec } from './kind';

export const VPP = {
  kind: 'vpp',
  label: 'VPP',
  noun: 'content token',
  title: 'VPP token',
  fileHint: '.vpptoken',
  portals: [
    { name: 'Apple Business', url: 'https://business.apple.com' },
    { name: 'Apple School Manager', url: 'https://school.apple.com' },
  ],
  urgentConsequence: 'before the console stops managing VPP apps',
  appleTitle: 'Download a new content token from Apple',
  steps: {
    apple: [
      'Sign in as {{appleAccount}} with a role that may get licenses for apps and books.',
      'Apple Business (https://business.apple.com): Settings > Payments & Billing > Apps & Books, then Download next to the token for the right location.',
      'Apple School Manager (https://school.apple.com): select your name at the bottom of the sidebar > Preferences > Payments & Billing > Content Tokens, then the token for the right location.',
      'Choose the token of the location this one belongs to: each location has its own token.',
      'Warning: the token becomes invalid when the password of the Managed Apple Account that downloaded it changes; Apple suggests a dedicated account for content tokens.',
      'Older labels: "Server Tokens" or "My Server Tokens" under Payments and Billing. The legacy VPP portal is retired.',
    ].join('\n'),
    console: {
      'workspace-one': [
        'In the Workspace ONE UEM console, go to the Organization Group where the token resides: {{orgGroup}}.',
        'Open Groups & Settings > All Settings > Devices & Users > Apple > VPP Managed Distribution, choose Renew, upload the new .vpptoken file and Save.',
        'AirWatch 7.3 to 9.x: Groups & Settings > All Settings > Apps > Catalog > VPP Managed Distribution.',
        'Consoles older than version 7.3 cannot renew a token.',
      ].join('\n'),
      jamf: [
        'In Jamf Pro, open Settings > Global > Volume Purchasing and select the location for this token.',
        'Choose Edit, upload the new service token (.vpptoken) and Save.',
      ].join('\n'),
      intune: [
        'In the Microsoft Intune admin center, go to Tenant administration > Connectors and tokens > Apple VPP Tokens.',
        'Select the token for this location, choose Edit, upload the new .vpptoken file and Save.',
      ].join('\n'),
      other: 'Upload the new .vpptoken file where your MDM keeps its Apps and Books (VPP) content token, in place of the one for the same location.',
    },
    verify: {
      'workspace-one': [
        'Check that the expiry date shown on the VPP Managed Distribution page moved a year ahead.',
        'Then sync licenses (Resources > Apps > Native > Purchased) and check that users can install VPP apps.',
      ].join('\n'),
      jamf: 'Check that the expiration date shown for the location moved a year ahead, then check that its content synchronizes.',
      intune: 'Check that the token shows a new expiration date and the state Active, then choose Sync to sync its licenses.',
      other: 'Check that the expiry date your MDM shows for the token moved a year ahead, then sync licenses.',
    },
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
  },
} as const satisfies KindSpec<'vpp'>;
