// `sds-contract-kit/mock`: the Prism mock behind the kit's Graph façade. Prism is an optional part
// (`@stoplight/prism-cli`), found when `startPrismMock` runs.

export { type PrismMock, type PrismMockOptions, startPrismMock } from "../../mocks/prism/start-prism-mock.js";
