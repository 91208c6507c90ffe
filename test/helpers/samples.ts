/** Small CI files several tests type into an editor or a text box. */

/** pip on GitHub's ubuntu-24.04 runner: works only through the runner's /etc/pip.conf override. */
export const RUNNER_PIP_WORKFLOW = `on: push
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - run: pip install tox
`;
