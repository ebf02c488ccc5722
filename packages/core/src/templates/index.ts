export * from "./create-template";
export * from "./list-templates";
export * from "./preview-template";
export * from "./sendable-template";
export * from "./template-variables";
export * from "./template-view";
export * from "./update-template";
