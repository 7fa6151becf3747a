// 2. Bundle size: a minimal files.retrieve program per package, esbuild bundle + minify + gzip.
import { bundleSize, retrievePrograms } from "../../scripts/lib/bundle-size.mjs";

const programs = {
  ...Object.fromEntries(Object.entries(retrievePrograms).map(([name, program]) => [name, program(name)])),
  "openapi-fetch (alone)": `import createClient from "openapi-fetch";\ncreateClient({ baseUrl: "https://api.example.com" }).GET("/v1/files/{id}", { params: { path: { id: "1" } } }).then(console.log);`,
  "@coze/api": `import { CozeAPI } from "@coze/api";\nnew CozeAPI({ token: "pat_x", baseURL: "https://api.coze.cn" }).files.retrieve("1").then(console.log);`,
  "@cognite/sdk": `import { CogniteClient } from "@cognite/sdk";\nnew CogniteClient({ appId: "a", project: "p", oidcTokenProvider: async () => "t" }).files.retrieve([{ id: 1 }]).then(console.log);`,
  stripe: `import Stripe from "stripe";\nnew Stripe("sk_test_x").files.retrieve("file_1").then(console.log);`,
};

export async function sizes(resolveDir) {
  const rows = [];
  for (const [name, code] of Object.entries(programs)) {
    const row = { name };
    for (const platform of ["browser", "node"]) {
      try {
        row[platform] = await bundleSize({ code, resolveDir, platform });
      } catch (error) {
        row[platform] = { error: String(error.message).split("\n")[0] };
      }
    }
    rows.push(row);
  }
  return rows;
}
