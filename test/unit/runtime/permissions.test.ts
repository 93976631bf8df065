import { describe, expect, it } from 'vitest';
import { HANDLER_PERMISSIONS } from '../../../shared/runtime/permissions.js';

describe('HANDLER_PERMISSIONS', () => {
  it.each(Object.entries(HANDLER_PERMISSIONS))(
    '%s names only exact actions, each with a reason',
    (_fn, permissions) => {
      for (const p of permissions) {
        expect(p.action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
        expect(p.why.length).toBeGreaterThan(20);
      }
    },
  );

  it('lets evaluateBucket continue itself and onConfigChange follow managed policies', () => {
    expect(HANDLER_PERMISSIONS.evaluateBucket.map((p) => p.action)).toContain('lambda:InvokeFunction');
    expect(HANDLER_PERMISSIONS.onConfigChange.map((p) => p.action)).toEqual([
      'iam:ListEntitiesForPolicy',
      // the Organization-wide edge index
      'dynamodb:Query',
      'dynamodb:GetItem',
      'dynamodb:BatchWriteItem',
      'kms:Decrypt',
    ]);
  });
});
