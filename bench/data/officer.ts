import type { User } from '../../shared/api/contract.ts';

/** The loan officer the register scenarios write as (through the product's write path, which needs a user). */
export const benchOfficer: User = {
  id: 'bench-officer',
  username: 'officer',
  displayName: '客户经理',
  role: 'loan_officer',
  disabled: false,
  mustChangePassword: false,
  createdAt: '2024-01-01T00:00:00Z',
  updatedAt: '2024-01-01T00:00:00Z',
  version: 1,
};
