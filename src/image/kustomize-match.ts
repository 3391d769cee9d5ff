/**
 * Which image values a kustomization `images[].name` selects (kustomize's IsImageMatched):
 * the value must be the name itself, followed only by an optional `:tag` and an optional
 * `@algorithm:digest`. The registry and port are part of the name, so `nginx` does not select
 * `docker.io/nginx`.
 *
 * Kustomize pastes the name into a regular expression unescaped, so there `.` matches any
 * character and a name that is not a valid expression (`[`) matches nothing. We compare the
 * name literally instead: real names mean their dots literally (`gcr.io/app` must not select
 * `gcrxio/app`), an IPv6 registry (`[::1]:5000/app`) then works, and no manifest text is ever
 * compiled into an expression. For names of image characters the answers are otherwise the same.
 */

/** Kustomize's tag characters include `{}` for templated tags (Bazel rules_k8s). */
const TAG_AND_DIGEST = /^(?::[a-zA-Z0-9_.{}-]*)?(?:@[a-zA-Z][a-zA-Z0-9+._-]*:[a-zA-Z0-9_.{}-]*)?$/

export function kustomizeNameMatches(name: string, image: string): boolean {
  return image.startsWith(name) && TAG_AND_DIGEST.test(image.slice(name.length))
}
