/**
 * The container securityContext Pod Security `restricted` asks for (the namespace enforces it): a non-root numeric
 * user (the images' `node` user and Kong's `kong` user are both uid 1000; the kubelet can only check a number is
 * not root), no privilege escalation, no capabilities, a read-only root filesystem and the runtime's seccomp profile.
 */
export const RESTRICTED_CONTAINER = {
  runAsUser: 1000,
  runAsGroup: 1000,
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
} as const;
