#!/usr/bin/env bash
# The steps of the compatcheck GitHub Action (action.yml at the repository root). Each
# subcommand is one step of the composite action; inputs arrive as environment
# variables and outputs go to $GITHUB_OUTPUT. The logic is a script rather than inline
# YAML so that action_test.go can run it with stand-ins for compatcheck, gh, git and go.
set -euo pipefail

# The marker that identifies the one comment the action keeps on a pull request.
MARKER='<!-- compatcheck -->'

note() { printf 'compatcheck: %s\n' "$*"; }

output() { printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; }

# skip: LABELS (the pull request's label names as a JSON array, null outside pull
# requests) and SKIP_LABEL. A pull request with the label is not checked; the summary
# says so, so the skip is visible.
step_skip() {
  labels=$(printf '%s' "${LABELS:-null}" | jq -r '.[]?')
  if [ -n "${SKIP_LABEL:-}" ] && grep -Fxq -- "$SKIP_LABEL" <<<"$labels"; then
    note "skipped: the pull request has the label \"$SKIP_LABEL\""
    output skip true
    printf '### compatcheck\n\nSkipped: the pull request has the label `%s`.\n' "$SKIP_LABEL" >>"$GITHUB_STEP_SUMMARY"
  else
    output skip false
  fi
}

# install: VERSION (a module version, tag or commit; empty for a local action such as
# `uses: ./`, which installs the action's own checkout) and ACTION_PATH.
step_install() {
  if [ -z "${VERSION:-}" ]; then
    note "installing from the action's checkout, $ACTION_PATH"
    (cd "$ACTION_PATH" && go install ./cmd/compatcheck)
  else
    note "installing github.com/compatcheck/compatcheck/cmd/compatcheck@$VERSION"
    go install "github.com/compatcheck/compatcheck/cmd/compatcheck@$VERSION"
  fi
  printf '%s\n' "$(go env GOPATH)/bin" >>"$GITHUB_PATH"
}

# base: BASE_REF, the ref every contract is compared with. actions/checkout fetches one
# commit, so the base branch is fetched here when it is missing; compatcheck reads the
# tree at the ref and needs no history.
step_base() {
  if [ -z "${BASE_REF:-}" ]; then
    echo "::error title=compatcheck::no base to compare with: this is not a pull request; set the action's base-ref input (for example origin/main)"
    exit 2
  fi
  if git rev-parse --verify --quiet "$BASE_REF^{tree}" >/dev/null; then
    return
  fi
  branch=${BASE_REF#origin/}
  note "fetching $branch, which the checkout did not bring"
  git fetch --no-tags --depth=1 origin "+refs/heads/$branch:refs/remotes/origin/$branch"
}

# run: BASE_REF, CONFIG, FAIL_ON, SARIF (true to write SARIF), EXTRA_ARGS (split on
# spaces), WORKING_DIRECTORY. Annotations go to the log, the markdown summary to the job
# summary. Status 1 (findings fail) is recorded for the last step, so that the comment
# and the SARIF upload still run; status 2 (unusable input) fails at once.
step_run() {
  cd "${WORKING_DIRECTORY:-.}"
  md="$RUNNER_TEMP/compatcheck-summary.md"
  sarif="$RUNNER_TEMP/compatcheck.sarif"
  rm -f "$md" "$sarif"
  args=(--against "$BASE_REF" --format github --output "markdown=$md")
  if [ "${SARIF:-false}" = true ]; then
    args+=(--output "sarif=$sarif")
  fi
  if [ -n "${CONFIG:-}" ]; then
    args+=(--config "$CONFIG")
  fi
  if [ -n "${FAIL_ON:-}" ]; then
    args+=(--fail-on "$FAIL_ON")
  fi
  if [ -n "${EXTRA_ARGS:-}" ]; then
    read -r -a extra <<<"$EXTRA_ARGS"
    args+=("${extra[@]}")
  fi
  set +e
  # The action writes the job summary itself, once, from the markdown output.
  env -u GITHUB_STEP_SUMMARY compatcheck "${args[@]}"
  status=$?
  set -e
  output exit-code "$status"
  if [ -s "$md" ]; then
    cat "$md" >>"$GITHUB_STEP_SUMMARY"
    output summary "$md"
  fi
  if [ -s "$sarif" ]; then
    output sarif "$sarif"
  fi
  if [ "$status" -ge 2 ]; then
    echo "::error title=compatcheck::compatcheck could not use its inputs (exit status $status); the line above says what and where"
    exit "$status"
  fi
}

# comment: PR_NUMBER, REPO, HEAD_REPO, COMMENT (on-failure, always or never), SUMMARY,
# EXIT_CODE and GH_TOKEN. One comment per pull request, found by its marker, is updated
# in place; a new one is created only when COMMENT says so. Pull requests from forks
# are skipped: their token cannot write to the repository.
step_comment() {
  if [ -z "${PR_NUMBER:-}" ]; then
    note "not a pull request: no comment"
    return
  fi
  if [ "${COMMENT:-on-failure}" = never ]; then
    return
  fi
  if [ "${HEAD_REPO:-}" != "${REPO:-}" ]; then
    note "pull request from the fork $HEAD_REPO: its token cannot comment; see the job summary"
    return
  fi
  if [ -z "${SUMMARY:-}" ] || [ ! -s "$SUMMARY" ]; then
    note "no summary to post"
    return
  fi
  body="$RUNNER_TEMP/compatcheck-comment.md"
  { printf '%s\n' "$MARKER"; cat "$SUMMARY"; } >"$body"
  # The comment is a convenience: a token that cannot write (no pull-requests: write)
  # is a warning, and the verdict stays the last step's to give.
  if ! ids=$(gh api --paginate "repos/$REPO/issues/$PR_NUMBER/comments" \
    --jq ".[] | select(.body | startswith(\"$MARKER\")) | .id"); then
    echo "::warning title=compatcheck::could not read the pull request's comments; does the job have pull-requests: write?"
    return
  fi
  id=${ids%%$'\n'*}
  if [ -n "$id" ]; then
    note "updating comment $id"
    gh api --method PATCH "repos/$REPO/issues/comments/$id" -F "body=@$body" >/dev/null ||
      echo "::warning title=compatcheck::could not update comment $id"
  elif [ "${COMMENT:-on-failure}" = always ] || [ "${EXIT_CODE:-0}" != 0 ]; then
    note "commenting on pull request $PR_NUMBER"
    gh api --method POST "repos/$REPO/issues/$PR_NUMBER/comments" -F "body=@$body" >/dev/null ||
      echo "::warning title=compatcheck::could not comment on pull request $PR_NUMBER; does the job have pull-requests: write?"
  else
    note "nothing fails and no earlier comment exists: no comment"
  fi
}

# finish: EXIT_CODE and FAIL (false to report without failing the job).
step_finish() {
  if [ "${EXIT_CODE:-0}" = 1 ] && [ "${FAIL:-true}" = true ]; then
    echo "::error title=compatcheck::contract changes fail the check; the annotations and the job summary say which, and the safe sequence of releases for each"
    exit 1
  fi
}

case "${1:-}" in
skip | install | base | run | comment | finish) "step_$1" ;;
*)
  echo "usage: $0 skip|install|base|run|comment|finish" >&2
  exit 2
  ;;
esac
