export * from "./auth";
export * from "./campaigns";
export * from "./departments";
export * from "./enums";
export * from "./integrations";
export * from "./messaging";
export * from "./runtime";
export * from "./workspace";
