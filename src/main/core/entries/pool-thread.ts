// Placeholder entry until its issue lands; built so the launcher can find it.
export {};
