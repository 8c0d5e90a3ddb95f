// A frontend using the TypeScript export of the Kisum catalog. `.ci/tsc` compiles it with
// `tsc --strict` next to `catalog.ts` (the export); each `@ts-expect-error` line must fail to
// type-check, or tsc reports the directive as unused.
import {
  CATALOG_FINGERPRINT,
  CATALOG_NAME,
  CATALOG_VERSION,
  LEGACY_KEYS,
  MODULE_INFO,
  PERMISSION_KEYS,
  PROMOTER_EVENT_VIEW,
  ROLE_KEYS,
  isPermissionKey,
  type LegacyKey,
  type ModuleKey,
  type PermissionKey,
  type RoleName,
} from "./catalog";

export const catalog: string = `${CATALOG_NAME} ${CATALOG_VERSION} (${CATALOG_FINGERPRINT})`;
export const view: PermissionKey = PROMOTER_EVENT_VIEW;
export const all: readonly PermissionKey[] = PERMISSION_KEYS;

// @ts-expect-error a legacy name is not a permission key
export const legacy: PermissionKey = "basic.events.read";
// @ts-expect-error a misspelt key is not a permission key
export const typo: PermissionKey = "promoter.event.veiw";
// @ts-expect-error `shop` is not a module of the catalog
export const shop: ModuleKey = "shop";

export const financeKind: "base" | "addon" | "external" | "system" = MODULE_INFO.finance.kind;
export const viewerRole: RoleName = "promoter.viewer";
export const viewerKeys: readonly PermissionKey[] = ROLE_KEYS[viewerRole].grants;
export const oldName: LegacyKey = "basic.events.read";
export const replacement: PermissionKey | null = LEGACY_KEYS[oldName];

/** Narrows a name from an API response to a key, or nothing. */
export function asKey(name: string): PermissionKey | undefined {
  return isPermissionKey(name) ? name : undefined;
}
