// MOSN's boltv2 Mapping is the Bolt v1 table without the permission-denied case, so 403 falls
// through to "unknown" (3) instead of "server exception" (2). Kept as MOSN has it.
import { ProxyStatus } from '../../api/status.ts';
import { BoltStatus } from '../bolt/constants.ts';
import { boltStatusOf } from '../bolt/status-mapping.ts';

export function boltV2StatusOf(status: ProxyStatus): number {
  return status === ProxyStatus.permissionDenied ? BoltStatus.unknown : boltStatusOf(status);
}
