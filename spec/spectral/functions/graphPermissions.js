// Spectral function: x-permissions lists the delegated and application permissions of an
// operation (reference section 1.1); an empty application list means "not supported".
const permission = /^EduAdministration\.(Read|ReadWrite)(\.All)?$/;

export default function graphPermissions(operation, _options, context) {
  const permissions = operation["x-permissions"];
  const at = [...context.path, "x-permissions"];
  if (!permissions || typeof permissions !== "object") {
    return [{ message: "operation must declare x-permissions { delegated, application }", path: context.path }];
  }
  const results = [];
  for (const kind of ["delegated", "application"]) {
    const list = permissions[kind];
    if (!Array.isArray(list)) {
      results.push({ message: `x-permissions.${kind} must be a list`, path: at });
      continue;
    }
    for (const name of list) {
      const appOnly = typeof name === "string" && name.endsWith(".All");
      if (!permission.test(String(name)) || appOnly !== (kind === "application")) {
        results.push({ message: `'${name}' is not a ${kind} EduAdministration permission`, path: [...at, kind] });
      }
    }
  }
  if (Array.isArray(permissions.delegated) && permissions.delegated.length === 0) {
    results.push({ message: "every operation supports at least one delegated permission", path: at });
  }
  return results;
}
