// Template text for serverless.yml: osls loads this file for `${file(./infra/templates.cjs):<name>}` and
// calls the exported function. The central stack's StackSet (infra/stack/organization.yml) deploys the
// member template as its TemplateBody, read here from infra/member-account.yml: one file, two deployments.
'use strict';
/* global require, module, __dirname, Buffer */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: osls loads this file with require() */

const { readFileSync } = require('node:fs');
const path = require('node:path');

/** CloudFormation's limit for a TemplateBody passed inline (the StackSet resource's property). */
const TEMPLATE_BODY_MAX_BYTES = 51_200;

/** The StackSet's targets must be given with organizationId (osls cannot ship a template Rules section). */
const checkMemberTargets = async (resolveVariable) => {
  if (!resolveVariable || !(await resolveVariable('param:organizationId'))) return;
  for (const name of ['memberOrganizationalUnitIds', 'memberRegions'])
    if (!(await resolveVariable(`param:${name}`)))
      throw new Error(
        `organizationId is set but ${name} is empty: add --param="${name}=..." (docs/deploy.md, "Deploy across an AWS Organization")`,
      );
  // IAM's CloudTrail events arrive in us-east-1 only: the member stacks there forward them (ForwardsIamEvents)
  const regions = String(await resolveVariable('param:memberRegions'))
    .split(',')
    .map((r) => r.trim());
  if (!regions.includes('us-east-1'))
    throw new Error(
      `memberRegions (${regions.join(',')}) has no us-east-1, where IAM events arrive: without it a member's role and policy changes are never forwarded; add us-east-1 to --param="memberRegions=..."`,
    );
};

/** The member template's text (infra/member-account.yml), refused when over the TemplateBody limit. */
const memberTemplateBody = async ({ resolveVariable } = {}) => {
  await checkMemberTargets(resolveVariable);
  const file = path.join(__dirname, 'member-account.yml');
  const body = readFileSync(file, 'utf8');
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > TEMPLATE_BODY_MAX_BYTES)
    throw new Error(
      `${file} is ${bytes} bytes, over the ${TEMPLATE_BODY_MAX_BYTES}-byte TemplateBody limit of the member StackSet: shorten its comments or descriptions`,
    );
  return body;
};

module.exports = { memberTemplateBody, TEMPLATE_BODY_MAX_BYTES };
