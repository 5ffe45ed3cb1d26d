// The names of the delivery channels: a domain type, so that routing (pure) need not import an edge.
export type ChannelName = 'email' | 'slack' | 'preview';
