import { timeoutAndCancellationTests } from "./timeout.cases.js";

timeoutAndCancellationTests("global fetch");
