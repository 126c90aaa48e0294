// ES module entry point of `vivamo/testing`: the same class as `require('vivamo/testing')`.
import testing from './testing.js';

export const { Sandbox } = testing;
export default testing;
