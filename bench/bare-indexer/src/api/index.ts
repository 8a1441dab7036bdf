/** Ponder 0.16 requires an API file; the bare app serves only its built-in endpoints. */
import { Hono } from "hono";

export default new Hono();
