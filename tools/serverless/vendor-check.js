'use strict';

// Refuses to package the gate without its vendored dependencies.
//
// The Lambda package carries httpx, msgspec, tenacity and tzdata under build/vendor (see
// serverless.yml). `make vendor` installs them from infra/lambda-requirements.txt (exported
// from uv.lock) and records that file in build/vendor/.installed. A bare `npx osls package`
// or `npx osls deploy` would otherwise zip whatever build/vendor holds -- nothing, on a
// fresh clone -- and ship a gate that fails on its first import. So before the artefact is
// built, the stamp must exist and equal the requirements; if not, the command stops with
// the one that fixes it. The `local` stage (serverless-offline: secrets from the
// environment, a loopback DynamoDB, no schedules) is never packaged: deployed, it could
// neither read its secrets nor reach its table.

const fs = require('fs');
const path = require('path');

const VENDOR_STAMP = path.join('build', 'vendor', '.installed');
const REQUIREMENTS = path.join('infra', 'lambda-requirements.txt');
const OFFLINE_STAGES = new Set(['local']);

// Why the vendored dependencies cannot ship, or null when they can.
function vendorProblem(root) {
  const stamp = path.join(root, VENDOR_STAMP);
  const requirements = path.join(root, REQUIREMENTS);
  if (!fs.existsSync(requirements)) return `${REQUIREMENTS} is missing`;
  if (!fs.existsSync(stamp)) return `the gate's dependencies are not vendored (${VENDOR_STAMP} is missing)`;
  if (fs.readFileSync(stamp, 'utf8') !== fs.readFileSync(requirements, 'utf8')) {
    return `the vendored dependencies in build/vendor were not built from the current ${REQUIREMENTS}`;
  }
  return null;
}

class VendorCheck {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options || {};
    const check = () => this.check();
    this.hooks = {
      'before:package:createDeploymentArtifacts': check,
      'before:deploy:function:packageFunction': check,
    };
  }

  check() {
    const stage = this.options.stage || this.serverless.service.provider.stage || 'dev';
    if (OFFLINE_STAGES.has(stage)) {
      throw new this.serverless.classes.Error(
        `the ${stage} stage is for serverless-offline only (\`make offline\`): ` +
          'package a deployable stage with `make package STAGE=dev`',
        'EDGEGATE_OFFLINE_STAGE',
      );
    }
    const problem = vendorProblem(this.serverless.serviceDir || process.cwd());
    if (problem === null) return;
    throw new this.serverless.classes.Error(
      `${problem}: run \`make package STAGE=${stage}\` (it vendors the locked dependencies ` +
        `for python3.12 and packages the stage), then \`npx osls deploy --stage ${stage} --package .serverless\``,
      'EDGEGATE_VENDOR_MISSING',
    );
  }
}

module.exports = VendorCheck;
module.exports.vendorProblem = vendorProblem;
