import { describe, expect, test } from "vitest";
import { scenarioTokens } from "../../mocks/simulator/scenarios.js";
import { readDocumentation } from "../support/readme.js";

describe("mocks/simulator/README.md: the scenario table", () => {
  test.each(Object.entries(scenarioTokens))("lists %s with what it does", (token, effect) => {
    expect(readDocumentation("mocks/simulator/README.md")).toMatch(
      new RegExp(
        `^\\|\\s*\`${token.replace(/[[\]:]/g, "\\$&")}\`\\s*\\|\\s*${effect.replace(/[()]/g, "\\$&")}\\s*\\|$`,
        "m",
      ),
    );
  });
});
