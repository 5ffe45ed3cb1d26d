// The MDM push certificate (APNs): an X.509 certificate from the Apple Push Certificates Portal, valid one year. Its
// topic (subject UID, com.apple.mgmt.…) binds every enrolled device: only the portal's Renew, with the same Apple
// Account, keeps it. Sources for every path below: docs/renewal-steps.md.
import type { KindSpec } from './kind';

/** Every MDM push topic starts with this (the subject's UID attribute). */
export const MDM_PUSH_TOPIC_PREFIX = 'com.apple.mgmt.';

export const APNS = {
  kind: 'apns',
  label: 'APNs',
  noun: 'push certificate',
  title: 'APNs push certificate',
  fileHint: '.pem',
  portals: [{ name: 'Apple Push Certificates Portal', url: 'https://identity.apple.com' }],
  urgentConsequence: 'before the MDM can no longer reach any device',
  appleTitle: 'Renew the push certificate at Apple',
  steps: {
    apple: [
      'First download a certificate signing request (CSR) from your MDM console (see the next step).',
      'Sign in to the Apple Push Certificates Portal (https://identity.apple.com) with the same Apple Account that created this certificate: {{appleAccount}}.',
      'Find the certificate with the topic {{topic}}, choose Renew (not "Create a Certificate"), upload the CSR and download the renewed .pem file.',
      'Another Apple Account, or a new certificate, gives a new topic: every enrolled device would then have to enroll again.',
      "Apple's reminder emails go to that Apple Account only and do not say which certificate they mean.",
    ].join('\n'),
    console: {
      'workspace-one': [
        'In the Workspace ONE UEM console, at the Organization Group where the certificate was uploaded ({{orgGroup}}), open Groups & Settings > All Settings > Devices & Users > Apple > APNs For MDM.',
        'Choose Renew and download the MDM certificate request for the portal; after renewing at Apple, upload the new .pem, enter the same Apple Account and Save.',
      ].join('\n'),
      jamf: [
        'In Jamf Pro, open Settings > Global > Push Certificates and select the MDM push certificate.',
        'Choose Renew, download the signed CSR for the portal; after renewing at Apple, upload the new .pem and Save.',
      ].join('\n'),
      intune: [
        'In the Microsoft Intune admin center, go to Devices > Enrollment > Apple > Apple MDM Push certificate.',
        'Download your CSR for the portal; after renewing at Apple, enter the same Apple ID, upload the new .pem and choose Upload.',
      ].join('\n'),
      other: 'Get the certificate signing request from your MDM, and after renewing at Apple upload the new .pem where your MDM keeps its push certificate.',
    },
    verify: {
      'workspace-one': 'Check that the expiry date shown on the APNs For MDM page moved a year ahead and the topic is still {{topic}}; then query a test device.',
      jamf: 'Check that the push certificate shows the new expiration date and the topic {{topic}}; then send a blank push or update inventory on a test device.',
      intune: 'Check that the Apple MDM Push certificate shows the state Active with the new expiration date and the same Apple ID; then sync a test device.',
      other: 'Check that your MDM shows the new expiry date and the same topic ({{topic}}), then send a command to a test device.',
    },
    impact: [
      'After {{expiryDate}} devices cannot be reached: no commands, no app installs, no profile updates, no lock, no wipe.',
      'An expired certificate may no longer be renewable: a new one has a new topic and every device must enroll again.',
    ].join('\n'),
    tellTokenwatch: [
      'Run this so tokenwatch checks that the topic is still {{topic}} and tracks the new expiry date:',
      '$ tokenwatch renew {{tokenNameQuoted}} --file MDM_push.pem',
    ].join('\n'),
  },
} as const satisfies KindSpec<'apns'>;
