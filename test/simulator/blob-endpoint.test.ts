import { describe, expect, test } from "vitest";
import { devAccount } from "../../mocks/simulator/azurite.js";
import { blobEndpointUploads, parseBlobEndpoint, UploadsUrlError } from "../../mocks/simulator/blob-uploads.js";

describe("--uploads-url: a blob endpoint of its own", () => {
  test("takes a connection string with its account key, as the Storage SDK writes one", () => {
    const connection =
      "DefaultEndpointsProtocol=http;AccountName=sandbox;AccountKey=a2V5;BlobEndpoint=http://azurite:10000/sandbox;";
    expect(parseBlobEndpoint(connection)).toEqual({ kind: "connection string", connectionString: connection });
    expect(parseBlobEndpoint("UseDevelopmentStorage=true").kind).toBe("connection string");
  });

  test("takes an Azurite account URL for the development account, whose key is well known", () => {
    expect(parseBlobEndpoint("http://azurite:10000/devstoreaccount1/")).toEqual({
      kind: "account URL",
      url: "http://azurite:10000/devstoreaccount1",
      accountName: devAccount.name,
      accountKey: devAccount.key,
    });
  });

  test.each([
    [
      "a SAS without the key",
      "BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2023",
      /no AccountKey/,
    ],
    [
      "an account URL whose key it cannot know",
      "https://contoso.blob.core.windows.net",
      /for contoso, give a connection string/,
    ],
    ["another scheme", "ftp://azurite/devstoreaccount1", /connection string .* or an Azurite account URL/],
    ["neither", "azurite:10000", /connection string .* or an Azurite account URL/],
  ])("refuses %s, saying what it takes", (_what, value, message) => {
    expect(() => parseBlobEndpoint(value)).toThrow(UploadsUrlError);
    expect(() => parseBlobEndpoint(value)).toThrow(message);
    expect(() => blobEndpointUploads(value)).toThrow(UploadsUrlError);
  });
});
