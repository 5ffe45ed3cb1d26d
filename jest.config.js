/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Diagnostics on: a type error in a test (or in the code it imports) fails that test file.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: true, tsconfig: '<rootDir>/tsconfig.test.json' }] },
  testTimeout: 30000,
};
