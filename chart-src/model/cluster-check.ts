/**
 * The script of the chart's cluster-check hook Job (templates/cluster-check.yaml), run by Bun in the router
 * image: argv = [CA file, expected sha256, kube context the values name]. Exits 1 with a message naming both
 * fingerprints when the cluster's root CA is not the pinned one. Kept here, not inline in the template, so
 * a test can run exactly this text.
 */
export const CLUSTER_CHECK_SCRIPT = [
  'const [file, expected, context] = process.argv.slice(1);',
  "const found = new Bun.CryptoHasher('sha256').update(require('node:fs').readFileSync(file)).digest('hex');",
  'if (found !== expected) {',
  "  console.error('wrong cluster: these values pin deploy.clusterCaSha256 ' + expected + ' (the cluster of ' +",
  "    'kube context ' + context + \"), but this cluster's root CA has sha256 \" + found + '. Nothing else was applied.');",
  '  process.exit(1);',
  '}',
  "console.log('cluster check passed: the root CA is the one the values pin');",
].join('\n');
