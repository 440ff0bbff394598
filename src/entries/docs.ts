// `sds-contract-kit/docs`: the documentation site. Its renderers (`redoc`, `marked`) are an
// optional part, loaded when the site is built.

export { buildDocsSite, type DocsSite, type DocsSiteOptions } from "../site/build-docs-site.js";
