import { describe, expect, test } from "vitest";
import { scenarioTokens } from "../../mocks/simulator/scenarios.js";
import { readme } from "../support/readme.js";

describe("README: the simulator's scenario table", () => {
  test.each(Object.entries(scenarioTokens))("lists %s with what it does", (token, effect) => {
    expect(readme()).toMatch(
      new RegExp(
        `^\\|\\s*\`${token.replace(/[[\]:]/g, "\\$&")}\`\\s*\\|\\s*${effect.replace(/[()]/g, "\\$&")}\\s*\\|$`,
        "m",
      ),
    );
  });
});
