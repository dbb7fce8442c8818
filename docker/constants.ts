// The docker sandbox's names: its image, user, working directory and the label that finds its containers.

/** Image name both docker/Dockerfile and docker/build-offline.sh produce. */
export const SANDBOX_IMAGE = 'cardeval-sandbox';

/** uid/gid of the image's `sandbox` user; containers run as this pair even if the image says otherwise. */
export const SANDBOX_UID = 10001;

/** Working directory inside the sandbox (a tmpfs in docker, a fresh temp dir locally). */
export const SANDBOX_WORKDIR = '/work';

/** Label put on every container so leftovers can always be found: `docker ps -a --filter label=cardeval.sandbox=1`. */
export const SANDBOX_LABEL = 'cardeval.sandbox';
