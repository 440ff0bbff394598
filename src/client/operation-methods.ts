import type createClient from "openapi-fetch";
import type { OperationId } from "../../generated/route-table.js";
import type { components, paths } from "../../generated/types.js";
import { GraphError } from "./graph-error.js";

export type SynchronizationProfile = components["schemas"]["EducationSynchronizationProfile"];
export type VerificationMessage = components["schemas"]["EducationFileSynchronizationVerificationMessage"];
export type ListQuery = NonNullable<paths["/education/synchronizationProfiles"]["get"]["parameters"]["query"]>;
export type Api = ReturnType<typeof createClient<paths>>;

export interface StartResult {
  /** False when verification found errors: the sync did not start. */
  started: boolean;
  messages: VerificationMessage[];
}

/** The data of a 2xx answer, with the response; any other answer thrown as a GraphError. */
async function ok<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; response: Response }> {
  const { data, error, response } = await pending;
  if (!response.ok) throw await GraphError.fromResponse(response, error);
  return { data: data as T, response };
}

const byId = (id: string) => ({ params: { path: { id } } });

/**
 * One method per operation of the spec, named by its operation id: the `satisfies` makes an
 * operation added to the spec a compile error here until it has its method.
 */
export function operationMethods(api: Api) {
  return {
    async listSynchronizationProfiles(query: ListQuery = {}) {
      return (await ok(api.GET("/education/synchronizationProfiles", { params: { query } }))).data;
    },

    /** Answers 202 (the documentation's prose) or 201 (its example); both are success. */
    async createSynchronizationProfile(body: components["schemas"]["EducationSynchronizationProfileCreate"]) {
      const { data, response } = await ok(api.POST("/education/synchronizationProfiles", { body }));
      return { status: response.status as 201 | 202, profile: data as SynchronizationProfile };
    },

    async replaceSynchronizationProfile(body: components["schemas"]["EducationSynchronizationProfileReplace"]) {
      return (await ok(api.PUT("/education/synchronizationProfiles", { body }))).data;
    },

    async getSynchronizationProfile(id: string) {
      return (await ok(api.GET("/education/synchronizationProfiles/{id}", byId(id)))).data;
    },

    async updateSynchronizationProfile(
      id: string,
      changes: components["schemas"]["EducationSynchronizationProfileUpdate"],
    ): Promise<void> {
      await ok(api.PATCH("/education/synchronizationProfiles/{id}", { ...byId(id), body: changes }));
    },

    async deleteSynchronizationProfile(id: string): Promise<void> {
      await ok(api.DELETE("/education/synchronizationProfiles/{id}", byId(id)));
    },

    async getSynchronizationProfileStatus(id: string) {
      return (await ok(api.GET("/education/synchronizationProfiles/{id}/profileStatus", byId(id)))).data;
    },

    async pauseSynchronizationProfile(id: string): Promise<void> {
      await ok(api.POST("/education/synchronizationProfiles/{id}/pause", byId(id)));
    },

    async resumeSynchronizationProfile(id: string): Promise<void> {
      await ok(api.POST("/education/synchronizationProfiles/{id}/resume", byId(id)));
    },

    async resetSynchronizationProfile(id: string): Promise<void> {
      await ok(api.POST("/education/synchronizationProfiles/{id}/reset", byId(id)));
    },

    /**
     * Verifies the uploaded files and starts the sync. Any error message means it did not start,
     * whether the service said so with 400 or, as in the documentation's example, with 200.
     */
    async startSynchronizationProfile(id: string): Promise<StartResult> {
      const { data, error, response } = await api.POST("/education/synchronizationProfiles/{id}/start", byId(id));
      const collection = (response.ok ? data : error) as { value?: VerificationMessage[] } | undefined;
      if (!response.ok && (response.status !== 400 || !Array.isArray(collection?.value))) {
        throw await GraphError.fromResponse(response, error);
      }
      const messages = collection?.value ?? [];
      const hasError = messages.some((m) => m.type?.toLowerCase() === "error");
      return { started: response.ok && !hasError, messages };
    },

    /** A write-only SAS URL, valid for one hour, to upload the CSV files to. */
    async getSynchronizationProfileUploadUrl(id: string): Promise<string> {
      return (await ok(api.GET("/education/synchronizationProfiles/{id}/uploadUrl", byId(id)))).data.value;
    },

    async listSynchronizationErrors(id: string, query: ListQuery = {}) {
      return (await ok(api.GET("/education/synchronizationProfiles/{id}/errors", { params: { path: { id }, query } })))
        .data;
    },
  } satisfies Record<OperationId, (...args: never[]) => Promise<unknown>>;
}
