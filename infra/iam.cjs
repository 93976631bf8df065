// Least-privilege statements for serverless.yml, derived at package time from the rules' declared
// permissions (shared/iam). osls loads this file for `${file(./infra/iam.cjs):<name>}` and calls
// the exported function, so the generated template always matches the rule catalog being shipped.
'use strict';
/* global require, module, __dirname, __filename */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: osls and serverless-esbuild load this file with require() */

const path = require('node:path');
const { pathToFileURL } = require('node:url');

const derived = (() => {
  let pending;
  return () => {
    pending ??= import('tsx/esm/api').then(({ tsImport }) =>
      tsImport(pathToFileURL(path.join(__dirname, '../shared/iam/index.ts')).href, __filename).then((m) =>
        m.derivePolicies(),
      ),
    );
    return pending;
  };
})();

module.exports = {
  /** Statements of the managed policy shared by the four function roles. */
  functionReadStatements: async () => (await derived()).functionReads,
  /** Statements of the member-account read-only role (infra/member-account.yml holds the same, checked by a test). */
  memberReadStatements: async () => (await derived()).memberReads,
};
