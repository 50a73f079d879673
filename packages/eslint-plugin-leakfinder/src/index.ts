// The plugin's rules land with issue #7; until then it exports an empty rule set.
const plugin = { meta: { name: 'eslint-plugin-leakfinder', version: '0.1.0' }, rules: {}, configs: {} };
export default plugin;
